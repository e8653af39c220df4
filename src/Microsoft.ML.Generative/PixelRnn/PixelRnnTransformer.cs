using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Imaging;
using Microsoft.ML.Generative.MLNetInternals;
using Microsoft.ML.Generative.Persistence;
using Microsoft.ML.Generative.PixelModels;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// A trained Pixel RNN (gated PixelCNN or Row LSTM). <see cref="GenerativeTransformer.Transform"/> keeps every input
    /// column and adds:
    /// <list type="bullet">
    /// <item><description><c>Score</c> (float): -log P(x) in nats; higher means less likely (more unusual).</description></item>
    /// <item><description><c>LogLikelihood</c> (float): log P(x), the exact log-probability of the discrete image (the sum of
    /// every sub-pixel's log-probability given the sub-pixels before it).</description></item>
    /// <item><description><c>BitsPerDimension</c> (float): Score / (Channels x Height x Width x ln 2).</description></item>
    /// <item><description><c>ComplexityScore</c> (float): BitsPerDimension minus the image's DEFLATE-compressed bits per
    /// dimension (Serrà et al. 2020), as for <see cref="RealNvpImageTransformer"/>.</description></item>
    /// <item><description><c>TypicalityScore</c> (float): |BitsPerDimension - m| / s, with m and s the mean and standard
    /// deviation over Fit's validation images (<see cref="TypicalBitsPerDimension"/>), as for
    /// <see cref="RealNvpImageTransformer"/>.</description></item>
    /// </list>
    /// A class-conditional model also reads its label column. Images are scored in batches inside the cursor. A vector of
    /// the wrong length, a pixel that is not an integer level in [0, PixelLevels), or a label the model does not know
    /// raises an <see cref="InvalidOperationException"/> naming the column and row.
    /// </summary>
    public sealed class PixelRnnTransformer : GenerativeTransformer, ILoadableTransformer<PixelRnnTransformer>
    {
        /// <summary>Name of the score column, -log P(x).</summary>
        public const string ScoreColumnName = "Score";
        /// <summary>Name of the log-likelihood column, log P(x).</summary>
        public const string LogLikelihoodColumnName = "LogLikelihood";
        /// <summary>Name of the bits-per-dimension column.</summary>
        public const string BitsPerDimensionColumnName = "BitsPerDimension";
        /// <summary>Name of the input-complexity column.</summary>
        public const string ComplexityScoreColumnName = "ComplexityScore";
        /// <summary>Name of the typicality column.</summary>
        public const string TypicalityScoreColumnName = "TypicalityScore";

        /// <summary>The output columns, in order.</summary>
        internal static readonly OutputColumn[] Outputs =
        {
            new OutputColumn(ScoreColumnName, NumberDataViewType.Single),
            new OutputColumn(LogLikelihoodColumnName, NumberDataViewType.Single),
            new OutputColumn(BitsPerDimensionColumnName, NumberDataViewType.Single),
            new OutputColumn(ComplexityScoreColumnName, NumberDataViewType.Single),
            new OutputColumn(TypicalityScoreColumnName, NumberDataViewType.Single),
        };

        private const int SamplingBatchSize = 64;

        internal PixelRnnTransformer(IHostEnvironment env, PixelRnnModel model) : base(env, nameof(PixelRnnTransformer), model)
            => Model = model;

        internal PixelRnnModel Model { get; }

        /// <summary>Name of the input pixel column.</summary>
        public string FeatureColumnName => Model.FeatureColumnName;
        /// <summary>Name of the class label column of a class-conditional model; null for an unconditional one.</summary>
        public string LabelColumnName => Model.LabelColumnName;
        /// <summary>Number of classes of a class-conditional model; 0 for an unconditional one.</summary>
        public int NumberOfClasses => Model.Architecture.Classes;
        /// <summary>The network.</summary>
        public PixelRnnArchitecture Architecture => Model.Architecture.Kind == PixelArchitectureKind.RowLstm ? PixelRnnArchitecture.RowLstm : PixelRnnArchitecture.GatedPixelCnn;
        /// <summary>Channels per image.</summary>
        public int Channels => Model.Architecture.Channels;
        /// <summary>Image height in pixels.</summary>
        public int Height => Model.Architecture.Height;
        /// <summary>Image width in pixels.</summary>
        public int Width => Model.Architecture.Width;
        /// <summary>Number of input pixel levels (values 0 .. PixelLevels - 1).</summary>
        public int PixelLevels => Model.Pixels.InputLevels;
        /// <summary>Number of levels of each softmax (2^NumberOfBits when the images were reduced, else PixelLevels).</summary>
        public int ModelLevels => Model.Pixels.ModelLevels;
        /// <summary>Mean and standard deviation of <c>BitsPerDimension</c> over Fit's validation images; null when it could not be measured.</summary>
        public (double Mean, double StandardDeviation)? TypicalBitsPerDimension
            => Model.Typicality is { } t ? (t.MeanBitsPerDimension, t.StandardDeviation) : null;

        /// <summary>
        /// Draws <paramref name="count"/> new images, sub-pixel by sub-pixel from softmax(logits / temperature). The result
        /// has one column, named like the input pixel column, in the input's pixel levels.
        /// </summary>
        /// <param name="count">Number of images (0 or more).</param>
        /// <param name="temperature">Divides the logits; 1 samples the model, below 1 gives more typical images. Default 1.</param>
        /// <param name="seed">Seed of the draws; the same seed gives the same images. Default null: from the context's random source.</param>
        /// <param name="label">The class (0 .. NumberOfClasses - 1; for a key column, key value - 1) of a class-conditional model; null for an unconditional one.</param>
        public IDataView Sample(int count, float temperature = 1f, int? seed = null, int? label = null)
        {
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be >= 0.");
            CheckTemperature(temperature);
            CheckLabel(label);
            int d = Model.Dimensions;
            var values = new float[(long)count * d];
            using var generator = new Generator((ulong)(seed ?? Host.Rand.Next()), CPU);
            for (int start = 0; start < count; start += SamplingBatchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(SamplingBatchSize, count - start);
                var a = Model.Architecture;
                var blank = zeros(new long[] { n, a.Channels, a.Height, a.Width }).to(Model.Device);
                var labels = label is int l ? full(new long[] { n }, l, dtype: ScalarType.Int64).to(Model.Device) : null;
                var drawn = PixelSampler.Sample(Model.Network, blank, labels, 0, temperature, generator);
                CopyAsPixels(drawn, values, start * d);
            }
            return new InMemoryVectorDataView(FeatureColumnName, values, count, d);
        }

        /// <summary>
        /// Completes images from their top rows: for every image in <paramref name="images"/> (and its label, for a
        /// class-conditional model), <paramref name="samplesPerImage"/> images whose first <paramref name="knownRows"/> rows
        /// are the image's, unchanged, and whose other rows are drawn from the model given them. The result has one column
        /// named like the input pixel column, in input order: samplesPerImage consecutive rows per input image.
        /// </summary>
        /// <param name="images">Rows with the pixel column (and the label column of a class-conditional model).</param>
        /// <param name="knownRows">Rows of each image kept (0 .. Height).</param>
        /// <param name="samplesPerImage">Completions per image (1 or more). Default 1.</param>
        /// <param name="seed">Seed of the draws. Default null: from the context's random source.</param>
        /// <param name="temperature">Divides the logits. Default 1.</param>
        public IDataView Complete(IDataView images, int knownRows, int samplesPerImage = 1, int? seed = null, float temperature = 1f)
        {
            if (images is null) throw new ArgumentNullException(nameof(images));
            var a = Model.Architecture;
            if (knownRows < 0 || knownRows > a.Height) throw new ArgumentOutOfRangeException(nameof(knownRows), knownRows, $"knownRows must be from 0 to {a.Height}.");
            if (samplesPerImage < 1) throw new ArgumentOutOfRangeException(nameof(samplesPerImage), samplesPerImage, "samplesPerImage must be >= 1.");
            CheckTemperature(temperature);
            var columns = Model.CheckInputSchema(images.Schema);
            int d = Model.Dimensions, known = knownRows * a.Width;
            var output = new List<float>();
            var originals = new List<float[]>();
            var levels = new List<float[]>();
            var labels = new List<long>();
            using var generator = new Generator((ulong)(seed ?? Host.Rand.Next()), CPU);
            void Flush()
            {
                if (originals.Count == 0) return;
                using var scope = NewDisposeScope();
                int n = originals.Count * samplesPerImage;
                var start = new float[(long)n * d];
                var ids = Model.LabelColumnName is null ? null : new long[n];
                for (int k = 0; k < n; k++)
                {
                    levels[k / samplesPerImage].CopyTo(start, (long)k * d);
                    if (ids is not null) ids[k] = labels[k / samplesPerImage];
                }
                var drawn = PixelSampler.Sample(Model.Network, tensor(start, new long[] { n, a.Channels, a.Height, a.Width }).to(Model.Device),
                    ids is null ? null : tensor(ids).to(Model.Device), knownRows, temperature, generator);
                var values = new float[(long)n * d];
                CopyAsPixels(drawn, values, 0);
                for (int k = 0; k < n; k++)
                {
                    // The known rows bit for bit as given (with NumberOfBits the model saw reduced levels).
                    var original = originals[k / samplesPerImage];
                    for (int c = 0; c < a.Channels; c++)
                        Array.Copy(original, c * a.Height * a.Width, values, (long)k * d + c * a.Height * a.Width, known);
                }
                output.AddRange(values);
                originals.Clear();
                levels.Clear();
                labels.Clear();
            }
            var buffer = default(VBuffer<float>);
            using (var cursor = images.GetRowCursor(columns))
            {
                var getter = cursor.GetGetter<VBuffer<float>>(columns[0]);
                ClassLabelColumn labelColumn = Model.LabelColumnName is null ? null : ClassLabelColumn.Check(images.Schema, Model.LabelColumnName);
                var readLabel = labelColumn?.Reader(cursor);
                while (cursor.MoveNext())
                {
                    getter(ref buffer);
                    var original = new float[d];
                    VectorColumn.CopyChecked(buffer, original, FeatureColumnName, cursor.Position);
                    var converted = (float[])original.Clone();
                    Model.Pixels.CheckAndConvert(converted, FeatureColumnName, cursor.Position);
                    originals.Add(original);
                    levels.Add(converted);
                    if (labelColumn is not null) labels.Add(labelColumn.Checked(readLabel(cursor.Position), a.Classes, cursor.Position));
                    if (originals.Count * samplesPerImage >= SamplingBatchSize) Flush();
                }
            }
            Flush();
            return new InMemoryVectorDataView(FeatureColumnName, output.ToArray(), output.Count / d, d);
        }

        /// <summary>
        /// Saves the images in <paramref name="images"/> (for example from <see cref="Sample"/> or <see cref="Complete"/>)
        /// as one PNG: a grid with <paramref name="columns"/> images per row and 1-pixel white gaps. Grey for 1 channel,
        /// RGB for 3; pixel levels are scaled to 0..255.
        /// </summary>
        /// <param name="images">Rows with the pixel column (named like <see cref="FeatureColumnName"/>).</param>
        /// <param name="path">The PNG file to write.</param>
        /// <param name="columns">Images per grid row. Default null: about the square root of the count.</param>
        /// <param name="pixelSize">Each pixel is drawn as a pixelSize x pixelSize square. Default 1.</param>
        public void SaveImageGrid(IDataView images, string path, int? columns = null, int pixelSize = 1)
            => ImageGridFile.Save(images, FeatureColumnName, Channels, Height, Width, PixelLevels, path, columns, pixelSize);

        static IModelSerializer ILoadableTransformer<PixelRnnTransformer>.Serializer => PixelRnnModelSerializer.Instance;

        static PixelRnnTransformer ILoadableTransformer<PixelRnnTransformer>.Load(IHostEnvironment env, byte[] payload)
            => new PixelRnnTransformer(env, PixelRnnModelSerializer.Instance.Deserialize(payload));

        private static void CheckTemperature(float temperature)
        {
            if (!(temperature > 0) || float.IsInfinity(temperature))
                throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be a finite number > 0.");
        }

        private void CheckLabel(int? label)
        {
            int classes = Model.Architecture.Classes;
            if (classes == 0 && label is not null)
                throw new ArgumentException("This model is not class-conditional: pass no label.", nameof(label));
            if (classes > 0 && (label is not int l || l < 0 || l >= classes))
                throw new ArgumentOutOfRangeException(nameof(label), label, $"This model is class-conditional: label must be a class from 0 to {classes - 1}.");
        }

        /// <summary>Model levels [n, C, H, W] to input-scale pixel levels, written from <paramref name="offset"/>.</summary>
        private void CopyAsPixels(Tensor modelLevels, float[] destination, long offset)
        {
            var flat = modelLevels.cpu().contiguous().data<float>().ToArray();
            for (int i = 0; i < flat.Length; i++)
                destination[offset + i] = Model.Pixels.ToInput(flat[i]);
        }
    }
}
