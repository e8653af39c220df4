using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Imaging;
using Microsoft.ML.Generative.MLNetInternals;
using Microsoft.ML.Generative.Numerics;
using Microsoft.ML.Generative.Persistence;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// A trained image Real NVP. <see cref="GenerativeTransformer.Transform"/> keeps every input column and adds:
    /// <list type="bullet">
    /// <item><description><c>Score</c> (float): -log p(x) in nats; higher means less likely (more unusual).</description></item>
    /// <item><description><c>LogLikelihood</c> (float): log p(x), the exact log-density of the flow at the centre of every
    /// pixel's bin (level + 1/2), in pixel units (each level is a bin of width 1), so it estimates log P(image).</description></item>
    /// <item><description><c>BitsPerDimension</c> (float): Score / (Channels x Height x Width x ln 2).</description></item>
    /// <item><description><c>Latent</c> (vector of float, Channels x Height x Width): z = f(x): the latents factored out at
    /// scale 1, 2, ..., then the last scale's output, each in (channel, row, column) order.</description></item>
    /// <item><description><c>ComplexityScore</c> (float): BitsPerDimension - L(x), where L(x) is the size of the image's
    /// pixel levels compressed by DEFLATE, in bits per dimension (the input-complexity score of Serrà et al. 2020). Flows
    /// give simple images (flat backgrounds, thin strokes) high likelihood whatever they were trained on; subtracting how
    /// well a general-purpose compressor does on the same image leaves what this model knows beyond "simple". Higher =
    /// more unusual. Computed only when the column is read.</description></item>
    /// <item><description><c>TypicalityScore</c> (float): |BitsPerDimension - m| / s, where m and s are the mean and standard
    /// deviation of BitsPerDimension over Fit's validation images (<see cref="TypicalBitsPerDimension"/>). Flows can give
    /// images unlike their training data a <i>higher</i> likelihood (a Fashion-MNIST model rates MNIST digits as more
    /// likely than clothes), so <c>Score</c> alone misses them; this score flags images that are much more likely than
    /// typical as well as much less (the typicality test of Nalisnick et al. 2019, one image at a time). Use it as the
    /// anomaly score when anomalies may be "simpler" than normal images.</description></item>
    /// </list>
    /// Images are scored in batches inside the cursor. A vector of the wrong length or a pixel that is not an integer level
    /// in [0, PixelLevels) raises an <see cref="InvalidOperationException"/> naming the column, row and slot. The
    /// usual benchmark figure, bits/dim with random uniform dequantization, is <see cref="EvaluateBitsPerDimension"/>.
    /// </summary>
    public sealed class RealNvpImageTransformer : GenerativeTransformer, ILoadableTransformer<RealNvpImageTransformer>
    {
        /// <summary>Name of the score column, -log p(x).</summary>
        public const string ScoreColumnName = "Score";
        /// <summary>Name of the log-likelihood column, log p(x).</summary>
        public const string LogLikelihoodColumnName = "LogLikelihood";
        /// <summary>Name of the bits-per-dimension column.</summary>
        public const string BitsPerDimensionColumnName = "BitsPerDimension";
        /// <summary>Name of the latent vector column, z = f(x).</summary>
        public const string LatentColumnName = "Latent";
        /// <summary>Name of the input-complexity column: BitsPerDimension minus the image's DEFLATE-compressed bits per dimension.</summary>
        public const string ComplexityScoreColumnName = "ComplexityScore";
        /// <summary>Name of the typicality column: how far an image's bits/dim is from the typical value, in standard deviations.</summary>
        public const string TypicalityScoreColumnName = "TypicalityScore";

        /// <summary>The output columns, in order (a model saved in format 1 has no TypicalityScore).</summary>
        internal static readonly OutputColumn[] Outputs =
        {
            new OutputColumn(ScoreColumnName, NumberDataViewType.Single),
            new OutputColumn(LogLikelihoodColumnName, NumberDataViewType.Single),
            new OutputColumn(BitsPerDimensionColumnName, NumberDataViewType.Single),
            new OutputColumn(LatentColumnName, NumberDataViewType.Single, IsVector: true),
            new OutputColumn(ComplexityScoreColumnName, NumberDataViewType.Single),
            new OutputColumn(TypicalityScoreColumnName, NumberDataViewType.Single),
        };

        internal RealNvpImageTransformer(IHostEnvironment env, RealNvpImageModel model) : base(env, nameof(RealNvpImageTransformer), model)
            => Model = model;

        internal RealNvpImageModel Model { get; }

        /// <summary>Name of the input pixel column.</summary>
        public string FeatureColumnName => Model.FeatureColumnName;
        /// <summary>Channels per image.</summary>
        public int Channels => Model.Architecture.Channels;
        /// <summary>Image height in pixels.</summary>
        public int Height => Model.Architecture.Height;
        /// <summary>Image width in pixels.</summary>
        public int Width => Model.Architecture.Width;
        /// <summary>Number of input pixel levels (values 0 .. PixelLevels - 1).</summary>
        public int PixelLevels => Model.Pixels.InputLevels;
        /// <summary>Number of levels the model's density is over (2^NumberOfBits when the images were reduced, else PixelLevels).</summary>
        public int ModelLevels => Model.Pixels.ModelLevels;
        /// <summary>
        /// Mean and standard deviation of <c>BitsPerDimension</c> over the reference images of <c>TypicalityScore</c>: Fit's
        /// validation images, or its training images when ValidationFraction is 0. Null for a model saved before this
        /// existed (it has no TypicalityScore column).
        /// </summary>
        public (double Mean, double StandardDeviation)? TypicalBitsPerDimension
            => Model.Typicality is { } t ? (t.MeanBitsPerDimension, t.StandardDeviation) : null;

        /// <summary>
        /// Draws <paramref name="count"/> new images: z ~ N(0, temperature^2 I), x = f^-1(z), each pixel rounded down to
        /// its level. The result has one column, named like the input pixel column, in the input's pixel levels.
        /// </summary>
        /// <param name="count">Number of images (0 or more).</param>
        /// <param name="temperature">Scale of the latent draws; below 1 (the paper and Glow show 0.7) gives cleaner, more typical images. Default 1.</param>
        /// <param name="seed">Seed of the draws; the same seed gives the same images. Default null: from the context's random source.</param>
        public IDataView Sample(int count, float temperature = 1f, int? seed = null)
        {
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be >= 0.");
            if (!(temperature >= 0) || float.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be a finite number >= 0.");
            using var generator = new Generator((ulong)(seed ?? Host.Rand.Next()), CPU);
            var values = new float[(long)count * Model.Dimensions];
            const int chunk = 256;
            using (no_grad())
                for (int start = 0; start < count; start += chunk)
                {
                    using var scope = NewDisposeScope();
                    int n = Math.Min(chunk, count - start);
                    CopyAsPixels(Model.Network.Sample(n, temperature, generator), values, start);
                }
            return new InMemoryVectorDataView(FeatureColumnName, values, count, Model.Dimensions);
        }

        /// <summary>
        /// A walk in latent space from <paramref name="imageA"/> to <paramref name="imageB"/>: both are encoded (pixels at
        /// their bin centres), their latents are mixed linearly in <paramref name="steps"/> equal steps and decoded. The
        /// first and last rows reproduce the two images exactly (with NumberOfBits set: their reduced versions, mapped back). Same single-column layout as <see cref="Sample"/>.
        /// </summary>
        /// <exception cref="ArgumentException">An image has the wrong length or a value that is not a pixel level.</exception>
        public IDataView Interpolate(float[] imageA, float[] imageB, int steps = 8)
        {
            if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be >= 2 (the two images included).");
            int d = Model.Dimensions;
            var a = CheckedImage(imageA, nameof(imageA));
            var b = CheckedImage(imageB, nameof(imageB));
            var values = new float[(long)steps * d];
            using (no_grad())
            using (NewDisposeScope())
            {
                var arch = Model.Architecture;
                var pair = tensor(a, new long[] { 1, arch.Channels, arch.Height, arch.Width });
                pair = cat(new[] { pair, tensor(b, new long[] { 1, arch.Channels, arch.Height, arch.Width }) }, 0).to(Model.Device);
                var z = Model.Network.Encode(pair + 0.5f).z;
                var t = linspace(0, 1, steps, dtype: ScalarType.Float32).unsqueeze(1).to(Model.Device);
                var path = z[0].unsqueeze(0) * (1 - t) + z[1].unsqueeze(0) * t;
                CopyAsPixels(Model.Network.Decode(path), values, 0);
            }
            return new InMemoryVectorDataView(FeatureColumnName, values, steps, d);
        }

        /// <summary>
        /// Mean bits per dimension of the images in <paramref name="data"/> with random uniform dequantization
        /// (x + u, u ~ U[0,1)^D, seeded): the figure papers report (an upper bound on -log2 P(x) / D on average).
        /// </summary>
        /// <param name="data">Rows with the pixel column.</param>
        /// <param name="seed">Seed of the dequantization noise. Default 0.</param>
        public double EvaluateBitsPerDimension(IDataView data, int seed = 0)
        {
            if (data is null) throw new ArgumentNullException(nameof(data));
            var (column, _) = VectorColumn.Check(data.Schema, FeatureColumnName, Model.Dimensions);
            int d = Model.Dimensions, batch = Model.ScoringBatchSize;
            var arch = Model.Architecture;
            var pixels = new float[(long)batch * d];
            var buffer = default(VBuffer<float>);
            double total = 0;
            long rows = 0;
            int filled = 0;
            using var generator = new Generator((ulong)seed, CPU);
            void Flush()
            {
                if (filled == 0) return;
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var x = tensor(pixels, new long[] { batch, arch.Channels, arch.Height, arch.Width }).narrow(0, 0, filled);
                var v = Model.Network.Dequantize(x, generator).to(Model.Device);
                total += Model.Network.LogLikelihood(v).to(ScalarType.Float64).sum().item<double>();
                rows += filled;
                filled = 0;
            }
            using (var cursor = data.GetRowCursor(new[] { column }))
            {
                var getter = cursor.GetGetter<VBuffer<float>>(column);
                while (cursor.MoveNext())
                {
                    getter(ref buffer);
                    var row = pixels.AsSpan(filled * d, d);
                    VectorColumn.CopyChecked(buffer, row, FeatureColumnName, cursor.Position);
                    Model.Pixels.CheckAndConvert(row, FeatureColumnName, cursor.Position);
                    if (++filled == batch) Flush();
                }
            }
            Flush();
            if (rows == 0) throw new InvalidOperationException($"There are no rows in column '{FeatureColumnName}' to evaluate.");
            return BitsPerDimension.FromPixelSpaceNats(-total / rows, d);
        }

        /// <summary>
        /// Saves the images in <paramref name="images"/> (for example from <see cref="Sample"/> or <see cref="Interpolate"/>)
        /// as one PNG: a grid with <paramref name="columns"/> images per row and 1-pixel white gaps. Grey for 1 channel,
        /// RGB for 3; pixel levels are scaled to 0..255.
        /// </summary>
        /// <param name="images">Rows with the pixel column (named like <see cref="FeatureColumnName"/>).</param>
        /// <param name="path">The PNG file to write.</param>
        /// <param name="columns">Images per grid row. Default null: about the square root of the count.</param>
        /// <param name="pixelSize">Each pixel is drawn as a pixelSize x pixelSize square. Default 1.</param>
        public void SaveImageGrid(IDataView images, string path, int? columns = null, int pixelSize = 1)
            => ImageGridFile.Save(images, FeatureColumnName, Channels, Height, Width, PixelLevels, path, columns, pixelSize);

        static IModelSerializer ILoadableTransformer<RealNvpImageTransformer>.Serializer => RealNvpImageModelSerializer.Instance;

        static RealNvpImageTransformer ILoadableTransformer<RealNvpImageTransformer>.Load(IHostEnvironment env, byte[] payload)
            => new RealNvpImageTransformer(env, RealNvpImageModelSerializer.Instance.Deserialize(payload));

        private float[] CheckedImage(float[] image, string name)
        {
            if (image is null) throw new ArgumentNullException(name);
            if (image.Length != Model.Dimensions)
                throw new ArgumentException($"The image has {image.Length} values; expected {Model.Dimensions} = {Channels} x {Height} x {Width}.", name);
            var copy = (float[])image.Clone();
            try
            {
                Model.Pixels.CheckAndConvert(copy, name, 0);
            }
            catch (InvalidOperationException e)
            {
                throw new ArgumentException(e.Message, name);
            }
            return copy;
        }

        /// <summary>Continuous model values [n, C, H, W] to input-scale pixel levels, written from row <paramref name="startRow"/>.</summary>
        private void CopyAsPixels(Tensor modelValues, float[] destination, int startRow)
        {
            var flat = modelValues.cpu().contiguous().data<float>().ToArray();
            int offset = startRow * Model.Dimensions;
            for (int i = 0; i < flat.Length; i++)
                destination[offset + i] = Model.Pixels.ToInput(flat[i]);
        }
    }
}
