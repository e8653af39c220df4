using System;
using Microsoft.ML.Generative.NativeKernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.PixelModels
{
    /// <summary>
    /// A pixel-autoregressive image model: p(x) = prod over sub-pixels, in raster order and R, G, B within a pixel, of a
    /// softmax over the levels given everything before. Knows nothing of ML.NET: levels in, logits out.
    /// </summary>
    /// <remarks>
    /// Images are float tensors [batch, C, H, W] holding integer levels 0..Levels-1 (the discrete pixels: no
    /// dequantization); the network sees them scaled to [-1, 1]. <see cref="Logits"/> computes every conditional in one
    /// pass (training and scoring); <see cref="ReadRows"/> computes one row at a time reusing what the rows above left
    /// behind (sampling), and must agree with <see cref="Logits"/>.
    /// </remarks>
    internal abstract class PixelNetwork : nn.Module, IKernelFallbackSource
    {
        protected PixelNetwork(string name, PixelArchitecture architecture) : base(name)
        {
            architecture.Validate();
            Architecture = architecture;
        }

        public PixelArchitecture Architecture { get; }

        /// <summary>The convolution shapes this network computed through a fallback because libtorch's kernel failed its check.</summary>
        public KernelFallbackLog KernelFallbacks { get; } = new();

        /// <summary>The logits [batch, Levels, C, H, W] of every sub-pixel given the ones before it.</summary>
        /// <param name="levels">Images [batch, C, H, W] of integer levels, float32.</param>
        /// <param name="labels">Class ids [batch] (int64) for a class-conditional network, else null.</param>
        public Tensor Logits(Tensor levels, Tensor labels)
        {
            CheckImages(levels, Architecture.Height);
            CheckLabels(labels, levels.shape[0]);
            return Forward(Scale(levels), labels);
        }

        /// <summary>Starts reading rows one at a time, top to bottom, for a batch with these labels (sampling and completion).</summary>
        public abstract PixelRowReader ReadRows(Tensor labels);

        /// <summary>The network on scaled images [batch, C, H, W] in [-1, 1].</summary>
        protected abstract Tensor Forward(Tensor scaled, Tensor labels);

        /// <summary>Levels 0..L-1 mapped linearly onto [-1, 1].</summary>
        protected internal Tensor Scale(Tensor levels) => levels * (2.0 / (Architecture.Levels - 1)) - 1.0;

        protected internal void CheckImages(Tensor levels, long height)
        {
            var a = Architecture;
            if (levels.ndim != 4 || levels.shape[1] != a.Channels || levels.shape[2] != height || levels.shape[3] != a.Width)
                throw new ArgumentException($"Expected images [batch, {a.Channels}, {height}, {a.Width}], got [{string.Join(", ", levels.shape)}].", nameof(levels));
            if (levels.dtype != ScalarType.Float32 && levels.dtype != ScalarType.Float64)
                throw new ArgumentException($"Expected float levels, got {levels.dtype}.", nameof(levels));
        }

        protected internal void CheckLabels(Tensor labels, long batch)
        {
            int classes = Architecture.Classes;
            if (classes == 0)
            {
                if (labels is not null) throw new ArgumentException("This network is not class-conditional: pass no labels.", nameof(labels));
                return;
            }
            if (labels is null || labels.ndim != 1 || labels.shape[0] != batch || labels.dtype != ScalarType.Int64)
                throw new ArgumentException($"This network is class-conditional: expected int64 labels [{batch}].", nameof(labels));
        }
    }

    /// <summary>
    /// Reads one row of a batch of images at a time, top to bottom, keeping what the rows above computed. For each row:
    /// <see cref="RowLogits"/> as often as needed (once per sub-pixel while sampling, the row filled in so far), then
    /// <see cref="EndRow"/> once the row is final.
    /// </summary>
    internal abstract class PixelRowReader : IDisposable
    {
        /// <summary>
        /// The logits [batch, Levels, C, W] of row <paramref name="row"/>; valid for each sub-pixel whose predecessors in
        /// <paramref name="levels"/> are final (all rows above, and this row's earlier sub-pixels).
        /// </summary>
        public abstract Tensor RowLogits(Tensor levels, int row);

        /// <summary>Row <paramref name="row"/> of <paramref name="levels"/> is final; rows must end in order 0, 1, 2, ...</summary>
        public abstract void EndRow(Tensor levels, int row);

        public abstract void Dispose();
    }
}
