using Microsoft.ML.Generative.PixelModels;

namespace Microsoft.ML.Generative.Benchmarks.PixelImages;

/// <summary>
/// Floating-point operations (2 per multiply-add) of one forward pass over one image, counted analytically over every
/// convolution of the network as it is computed: masked kernels cost their full size (the masked weights are zeros,
/// not skipped). Gates, the softmax and the LSTM's elementwise updates are left out (small next to the convolutions).
/// </summary>
internal static class PixelFlops
{
    public static double ForwardPerImage(PixelArchitecture a)
    {
        double n = a.FeatureMaps, m = a.OutputFeatureMaps;
        int half = a.KernelSize / 2;
        double macsPerPixel = 0;
        if (a.Kind == PixelArchitectureKind.GatedPixelCnn)
        {
            for (int layer = 0; layer < a.Layers; layer++)
            {
                double input = layer == 0 ? a.Channels : n;
                macsPerPixel += input * 2 * n * (half + 1) * a.KernelSize   // vertical
                              + input * 2 * n * (half + 1)                  // horizontal
                              + 2 * n * 2 * n                               // vertical-to-horizontal link
                              + 2 * n * n;                                  // residual and skip 1x1
            }
        }
        else
        {
            macsPerPixel += a.Channels * n * (half + 1) * a.KernelSize;        // first convolution, mask A
            macsPerPixel += a.Layers * (n * 4 * n * 2                          // input-to-state, 1 x 2
                                      + n * 4 * n * 3                          // state-to-state, 1 x 3
                                      + n * n);                                // output 1x1
        }
        double logits = Math.Ceiling(a.Channels * a.Levels / 16.0) * 16;     // the head computes C x levels rounded up to 16
        macsPerPixel += n * m + m * logits;
        return 2 * macsPerPixel * a.Height * a.Width;
    }
}
