using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.PixelModels
{
    /// <summary>
    /// Draws images sub-pixel by sub-pixel in the model's order (raster order, R, G, B within a pixel), from the
    /// conditionals softmax(logits / temperature); rows above <c>firstRow</c> are kept as given (image completion).
    /// </summary>
    /// <remarks>
    /// Sampling is sequential: C x H x W draws, each needing the logits given everything drawn before. The reuse path
    /// (<see cref="PixelNetwork.ReadRows"/>) computes one row per draw from what the rows above left behind; the naive
    /// path recomputes the whole image per draw. Both read the same conditionals; the naive one is kept for the speed
    /// comparison and for tests. Draws use the given generator only, so the same seed gives the same images.
    /// </remarks>
    internal static class PixelSampler
    {
        /// <param name="network">The model.</param>
        /// <param name="start">Images [batch, C, H, W] of levels whose rows before <paramref name="firstRow"/> are kept; the rest is overwritten.</param>
        /// <param name="labels">Class ids [batch] for a class-conditional model, else null.</param>
        /// <param name="firstRow">The first row to draw (0: sample whole images).</param>
        /// <param name="temperature">Divides the logits: 1 samples the model, below 1 sharpens it.</param>
        /// <param name="generator">The random source of every draw.</param>
        /// <param name="reuseRows">False: recompute the whole image for every draw (the naive path).</param>
        /// <returns>A new tensor of levels [batch, C, H, W] (float32).</returns>
        public static Tensor Sample(PixelNetwork network, Tensor start, Tensor labels, int firstRow, double temperature, Generator generator, bool reuseRows = true)
        {
            var a = network.Architecture;
            if (firstRow < 0 || firstRow > a.Height) throw new ArgumentOutOfRangeException(nameof(firstRow), firstRow, $"must be from 0 to {a.Height}.");
            if (!(temperature > 0) || double.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be positive and finite.");
            network.CheckImages(start, a.Height);
            network.CheckLabels(labels, start.shape[0]);
            bool wasTraining = network.training;
            network.eval();
            try
            {
                using var noGrad = no_grad();
                var images = start.to(ScalarType.Float32).clone();
                using var reader = reuseRows ? network.ReadRows(labels) : null;
                for (int row = 0; row < a.Height; row++)
                {
                    if (row >= firstRow)
                        for (int column = 0; column < a.Width; column++)
                            for (int channel = 0; channel < a.Channels; channel++)
                                using (NewDisposeScope())
                                {
                                    var logits = reuseRows ? reader.RowLogits(images, row) : network.Logits(images, labels).select(3, row);
                                    var conditional = logits.select(3, column).select(2, channel).cpu().to(ScalarType.Float64) / temperature; // [batch, Levels]
                                    var drawn = multinomial(nn.functional.softmax(conditional, 1), 1, generator: generator).squeeze(1);
                                    images.select(1, channel).select(1, row).select(1, column).copy_(drawn.to(ScalarType.Float32));
                                }
                    reader?.EndRow(images, row);
                }
                return images;
            }
            finally
            {
                network.train(wasTraining);
            }
        }
    }
}
