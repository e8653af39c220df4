using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>
/// The plain hand-written reference for Fashion-MNIST, independent of the library:
/// <list type="bullet">
/// <item>1x28x28, then 3 checkerboard couplings, a squeeze, 3 channel-wise couplings, half factored out, 4 checkerboard
/// couplings;</item>
/// <item>conditioners conv 3x3 -> 32 maps, ReLU, one hidden conv 3x3 32 -> 32, ReLU, output conv 3x3;</item>
/// <item>tanh-bounded log-scale, no batch norm, logit preprocessing with alpha 0.05, uniform dequantization.</item>
/// </list>
/// The one departure: output convolutions compute at least 16 channels and the first 2C are used. With fewer output
/// channels oneDNN returns NaN gradients on one of the two development CPUs (docs/ONEDNN-KERNEL-BUGS.md). The extra
/// channels get no gradient and stay zero, so the function is the same.
/// </summary>
internal sealed class PlainImageRealNvp : nn.Module
{
    private const double Alpha = 0.05;
    private readonly ModuleList<Coupling> scale1;   // 3 checkerboard, then (after the squeeze) 3 channel-wise
    private readonly ModuleList<Coupling> scale2;   // 4 checkerboard on the kept half

    public PlainImageRealNvp() : base(nameof(PlainImageRealNvp))
    {
        var first = new List<Coupling>();
        for (int k = 0; k < 3; k++) first.Add(new Coupling(1, 28, checkerboardParity: k % 2));
        for (int k = 0; k < 3; k++) first.Add(new Coupling(4, 14, channelParity: k % 2));
        scale1 = new ModuleList<Coupling>(first.ToArray());
        var second = new List<Coupling>();
        for (int k = 0; k < 4; k++) second.Add(new Coupling(2, 14, checkerboardParity: k % 2));
        scale2 = new ModuleList<Coupling>(second.ToArray());
        RegisterComponents();
    }

    /// <summary>log p(v) per image for dequantized pixels v [batch, 1, 28, 28] in [0, 256), in nats.</summary>
    public Tensor LogLikelihood(Tensor v)
    {
        var p = Alpha + (1 - 2 * Alpha) / 256.0 * v;
        var x = p.log() - (-p).log1p();
        var logDet = (Math.Log((1 - 2 * Alpha) / 256.0) - p.log() - (-p).log1p()).flatten(1).sum(1);
        for (int k = 0; k < 3; k++)
            (x, logDet) = scale1[k].Forward(x, logDet);
        x = Squeeze(x);
        for (int k = 3; k < 6; k++)
            (x, logDet) = scale1[k].Forward(x, logDet);
        var factoredOut = x.narrow(1, 2, 2);
        x = x.narrow(1, 0, 2);
        foreach (var coupling in scale2)
            (x, logDet) = coupling.Forward(x, logDet);
        var z = cat(new[] { factoredOut.flatten(1), x.flatten(1) }, 1);
        return -0.5 * (z * z).sum(1) - 0.5 * Math.Log(2 * Math.PI) * z.shape[1] + logDet;
    }

    private static Tensor Squeeze(Tensor x)
    {
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        return x.reshape(b, c, h / 2, 2, w / 2, 2).permute(0, 1, 3, 5, 2, 4).reshape(b, c * 4, h / 2, w / 2);
    }

    /// <summary>y = b*x + (1-b)*(x*exp(s) + t), s = scale * tanh(raw), (raw, t) = net(b*x).</summary>
    private sealed class Coupling : nn.Module
    {
        private readonly Tensor mask;
        private readonly Conv2d in_conv, hidden_conv, out_conv;
        private readonly Parameter scale;
        private readonly int _channels;

        public Coupling(int channels, int side, int checkerboardParity = -1, int channelParity = -1) : base(nameof(Coupling))
        {
            _channels = channels;
            var m = new float[channels * side * side];
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < side; i++)
                    for (int j = 0; j < side; j++)
                        m[(c * side + i) * side + j] = checkerboardParity >= 0
                            ? ((i + j) % 2 == checkerboardParity ? 1 : 0)
                            : ((c < channels / 2) == (channelParity == 0) ? 1 : 0);
            mask = tensor(m, new long[] { 1, channels, side, side });
            in_conv = nn.Conv2d(channels, 32, 3, padding: 1);
            hidden_conv = nn.Conv2d(32, 32, 3, padding: 1);
            out_conv = nn.Conv2d(32, Math.Max(16, 2 * channels), 3, padding: 1);
            using (no_grad())
            {
                out_conv.weight.zero_();
                out_conv.bias.zero_();
            }
            scale = nn.Parameter(ones(1, channels, 1, 1));
            RegisterComponents();
        }

        public (Tensor y, Tensor logDet) Forward(Tensor x, Tensor logDet)
        {
            var passed = x * mask;
            var h = nn.functional.relu(in_conv.call(passed));
            h = nn.functional.relu(hidden_conv.call(h));
            h = out_conv.call(h);
            var inverse = 1 - mask;
            var s = scale * h.narrow(1, 0, _channels).tanh() * inverse;
            var t = h.narrow(1, _channels, _channels) * inverse;
            return (passed + inverse * (x * s.exp() + t), logDet + s.flatten(1).sum(1));
        }
    }
}
