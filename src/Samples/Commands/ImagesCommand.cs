using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Generative;
using Samples.Cli;
using Samples.Evaluation;
using Samples.Imaging;
using Samples.Reporting;
using Samples.Text;

namespace Samples.Commands
{
    /// <summary>
    /// Density modelling of images: trains a multi-scale Real NVP (or, with --model pixelrnn, a Pixel RNN:
    /// <see cref="PixelRnnImages"/>) on an IDX or CSV image file, reports bits per dimension on test images against an
    /// independent-pixel model and a uniform guess, saves, reloads and checks the model, then writes PNG grids of sampled
    /// images and of latent-space interpolations between test images.
    /// </summary>
    internal static class ImagesCommand
    {
        public const string Name = "images";
        public const string Description = "Train a Real NVP flow or a Pixel RNN on an IDX or CSV image file, report bits/dim, draw, interpolate or complete images";

        /// <summary>The score column both image models add: -log p(x) in nats.</summary>
        private const string ScoreColumnName = "Score";
        /// <summary>Test images the save/reload check scores with both models.</summary>
        private const int CheckedImages = 16;
        internal const int SampleCount = 64, GridColumns = 8;
        private const int InterpolationPairs = 4, InterpolationSteps = 8;
        /// <summary>Sampling temperatures: 0.7 as the paper and Glow show (cleaner images), 1 the model's own distribution.</summary>
        internal static readonly float[] Temperatures = { 0.7f, 1.0f };

        public static Command Create(HelpWithNotes help)
        {
            var command = new Command(Name, Description);
            var options = new ImagesOptions();
            options.AddTo(command);
            command.SetAction(result => Run(options.Read(result)));
            help.Add(command, ImagesOptions.Notes);
            return command;
        }

        private static int Run(ImagesSettings settings)
        {
            var clock = Stopwatch.StartNew();
            var ml = new MLContext(seed: settings.Seed);
            TorchThreads.Use(settings.Threads);

            var (train, test) = LoadImages(settings);
            int levels = PixelLevels(settings, train, test);
            int modelLevels = ModelLevels(settings, levels);
            CreateOutputDirectory(settings.OutputDirectory);
            var trainView = ImageDataView.Create(ml, train.Images, train.Dimensions);
            var testView = ImageDataView.Create(ml, test.Images, test.Dimensions);

            var files = settings.Model == ImageModel.PixelRnn
                ? PixelRnnImages.Run(ml, settings, trainView, testView, train, test, levels, modelLevels)
                : RunRealNvp(ml, settings, trainView, testView, train, test, levels, modelLevels);

            Console.WriteLine();
            Console.WriteLine($"Files written to {Path.GetFullPath(settings.OutputDirectory)}:");
            var table = ResultTable.Create("file", "what");
            foreach (var (path, what) in files)
                table.AddTextRow(path, what);
            ResultTable.Write(table);
            Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");
            return ExitCodes.Success;
        }

        private static List<(string Path, string What)> RunRealNvp(MLContext ml, ImagesSettings settings, IDataView trainView, IDataView testView,
            ImageSet train, ImageSet test, int levels, int modelLevels)
        {
            int scales = Scales(settings, train);
            // Disposing the transformers releases the networks' native (libtorch) memory.
            using var model = Train(ml, settings, trainView, train, levels, scales);
            ReportBitsPerDimension(settings, model, testView, train, test, modelLevels);
            using var loaded = SaveReloadAndCheck(ml, settings, model, trainView, test, m => m.Sample(8, 1f, settings.Seed));
            var files = WriteImages(ml, settings, loaded, test);
            files.Insert(0, (Path.Combine(settings.OutputDirectory, ImagesSettings.ModelFileName), "the fitted RealNvpImageTransformer; load it with mlContext.Model.Load"));
            return files;
        }

        private static (ImageSet train, ImageSet test) LoadImages(ImagesSettings settings)
        {
            var train = Read(settings, settings.TrainPath, settings.MaxImages);
            Console.WriteLine($"Data: {settings.TrainPath}");
            bool cut = settings.MaxImages > 0 && train.Count == settings.MaxImages;
            Console.WriteLine($"  {train.Format}, {train.Count} images of {train.Size}{(cut ? $" (the first {train.Count}; --max-images)" : "")}.");

            ImageSet test;
            if (settings.TestPath is not null)
            {
                test = Read(settings, settings.TestPath, settings.MaxTestImages);
                if (test.Channels != train.Channels || test.Height != train.Height || test.Width != train.Width)
                    throw new DataException($"the test images in {settings.TestPath} are {test.Size}, the training images {train.Size}; they must be the same size.");
                Console.WriteLine($"Test: {settings.TestPath}");
                Console.WriteLine($"  {test.Format}, {test.Count} images{(settings.MaxTestImages > 0 && test.Count == settings.MaxTestImages ? $" (the first {test.Count}; --max-test-images)" : "")}.");
            }
            else
            {
                // The end of the file, not a random draw: files such as MNIST's list their images in no particular order,
                // and a fixed block is the same test set whatever the seed.
                int held = Math.Max(1, (int)Math.Round(train.Count * settings.TestFraction));
                if (train.Count - held < 2)
                    throw new DataException($"{settings.TrainPath} has {train.Count} image(s): too few to hold out test images and train on at least 2.");
                test = train.Range(train.Count - held, held);
                train = train.Range(0, train.Count - held);
                if (settings.MaxTestImages > 0 && test.Count > settings.MaxTestImages)
                    test = test.Range(0, settings.MaxTestImages);
                Console.WriteLine($"  The last {settings.TestFraction * 100:0.#}% are held out as test images ({held}{(test.Count < held ? $", of which the first {test.Count} are scored (--max-test-images)" : "")}); {train.Count} remain for training.");
            }
            return (train, test);
        }

        private static ImageSet Read(ImagesSettings settings, string path, int maxImages)
            => ImagesSettings.IsCsv(path)
                ? CsvImageFile.Read(path, settings.DropColumn, settings.Channels, settings.Height, settings.Width, maxImages)
                : IdxImageFile.Read(path, maxImages);

        /// <summary>--levels, or 256 for an IDX file (bytes), or the largest value in the files + 1 for a CSV file.</summary>
        private static int PixelLevels(ImagesSettings settings, ImageSet train, ImageSet test)
        {
            int levels = settings.Levels ?? (train.IsCsv ? Math.Max(2, Math.Max(train.MaxValue, test.MaxValue) + 1) : ImagesSettings.IdxLevels);
            foreach (var set in new[] { train, test })
                for (int i = 0; i < set.Count; i++)
                {
                    float high = set.Images[i].Max();
                    if (high >= levels)
                        throw new DataException($"{set.Path}, {set.Where(i)}: pixel value {high} is too large for {levels} pixel levels (0 to {levels - 1}"
                            + (settings.Levels is null ? ", the default for the training file); give the number of levels with --levels." : ", --levels)."));
                }
            string range = train.IsCsv && settings.Levels is null ? "the largest value in the files + 1" : settings.Levels is null ? "8-bit IDX pixels" : "--levels";
            Console.WriteLine($"  Pixel levels: {levels} (values 0 to {levels - 1}; {range}).");
            return levels;
        }

        /// <summary>The levels the flow models: 2^--bits, or all of them.</summary>
        private static int ModelLevels(ImagesSettings settings, int levels)
        {
            if (settings.Bits is not int bits) return levels;
            if (1L << bits > levels)
                throw new UsageException($"--bits {bits} means {1L << bits} levels, more than the images' {levels}; use at most {(int)Math.Floor(Math.Log2(levels))}.");
            if (1 << bits < levels)
                Console.WriteLine($"  Modelled with {bits} bits: level l becomes floor(l x {1 << bits} / {levels}), {1 << bits} levels; bits/dim below refers to these reduced images.");
            return 1 << bits;
        }

        /// <summary>--scales if the image size allows it, else the default 2 or the most the size allows, if fewer.</summary>
        private static int Scales(ImagesSettings settings, ImageSet train)
        {
            if (settings.Scales is int scales)
            {
                int most = RealNvpImageOptions.MaxNumberOfScales(train.Height, train.Width);
                if (scales < 1 || scales > most)
                    throw new UsageException($"--scales {scales}: a {train.Height}x{train.Width} image supports 1 to {most} scales (every scale but the last squeezes 2x2 pixels, which needs an even height and width).");
                return scales;
            }
            return Math.Min(ImagesSettings.DefaultScales, RealNvpImageOptions.MaxNumberOfScales(train.Height, train.Width));
        }

        private static void CreateOutputDirectory(string path)
        {
            try { Directory.CreateDirectory(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DataException($"cannot create the output folder '{path}': {e.Message}", e);
            }
        }

        private static RealNvpImageTransformer Train(MLContext ml, ImagesSettings settings, IDataView trainView, ImageSet train, int levels, int scales)
        {
            var options = new RealNvpImageOptions
            {
                FeatureColumnName = ImageRow.PixelsColumn,
                Channels = train.Channels,
                Height = train.Height,
                Width = train.Width,
                PixelLevels = levels,
                NumberOfBits = settings.Bits,
                NumberOfScales = scales,
                FeatureMaps = settings.FeatureMaps ?? ImagesSettings.DefaultFeatureMaps,
                NumberOfResidualBlocks = settings.Blocks,
                MaxEpochs = settings.Epochs,
                MaxTrainingTime = settings.TimeBudget,
                BatchSize = settings.BatchSize ?? ImagesSettings.DefaultBatchSize,
                LearningRate = settings.LearningRate,
                Seed = settings.Seed,
            };

            Console.WriteLine();
            string budget = settings.TimeBudget is TimeSpan t ? $" or {t.TotalMinutes:0.##} min, whichever comes first" : "";
            Console.WriteLine($"Training an image Real NVP ({scales} scale(s), {options.FeatureMaps} feature maps, {options.NumberOfResidualBlocks} residual block(s) per coupling; up to {options.MaxEpochs} epochs{budget});");
            Console.WriteLine("  loss = bits per dimension (-log2 p per pixel value, pixels spread over their bins by uniform noise), lower is");
            Console.WriteLine($"  better; 'valid' is measured on the {options.ValidationFraction * 100:0.#}% of the training images the library holds out to pick the best epoch.");
            return FitWithProgress(ml, () => ml.Generative().RealNvpImage(options).Fit(trainView), settings);
        }

        /// <summary>
        /// Runs an image model's Fit with the progress display and reports its time; the library's refusals become the
        /// app's errors: bad images (too few, a pixel the model cannot take) a data error, an option the images do not
        /// allow (e.g. --feature-maps not a multiple of 3 for RGB) a usage error, each with the library's explanation.
        /// </summary>
        internal static T FitWithProgress<T>(MLContext ml, Func<T> fit, ImagesSettings settings) where T : GenerativeTransformer
        {
            var clock = Stopwatch.StartNew();
            T model;
            try
            {
                model = TrainingProgress.Run(ml, fit, settings.TimeBudget, lossDecimals: 3);
            }
            catch (InvalidOperationException e)
            {
                throw new DataException(e.Message, e);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new UsageException(e.Message);
            }
            Console.WriteLine($"  Trained in {clock.Elapsed.TotalSeconds:F1} s ({model.TrainingSummary.History.Count} epochs).");
            return model;
        }

        private static void ReportBitsPerDimension(ImagesSettings settings, RealNvpImageTransformer model, IDataView testView, ImageSet train, ImageSet test,
            int modelLevels)
        {
            var clock = Stopwatch.StartNew();
            double dequantized = model.EvaluateBitsPerDimension(testView, settings.Seed);
            double binCentres = model.Transform(testView).GetColumn<float>(RealNvpImageTransformer.BitsPerDimensionColumnName).Average(v => (double)v);
            ReportBitsPerDimension(settings, model.TrainingSummary, train, test, model.PixelLevels, modelLevels, clock.Elapsed.TotalSeconds, dequantized, "flow",
                ("Real NVP, dequantized (EvaluateBitsPerDimension, the figure papers report)", dequantized),
                ("Real NVP, mean of the BitsPerDimension column (each pixel at its bin's centre)", binCentres));
        }

        /// <summary>
        /// The bits/dim table of a trained image model, with the same references for every model (independent pixels, a
        /// uniform guess), and what the training kept.
        /// </summary>
        /// <param name="reported">The model's headline figure, compared with independent pixels.</param>
        /// <param name="kind">"flow" or "model", for the advice when it does not beat independent pixels.</param>
        /// <param name="rows">The model's own rows: what it is and its bits/dim.</param>
        internal static void ReportBitsPerDimension(ImagesSettings settings, TrainingSummary summary, ImageSet train, ImageSet test, int inputLevels, int modelLevels,
            double scoringSeconds, double reported, string kind, params (string What, double Bits)[] rows)
        {
            double independent = IndependentPixelBaseline.Fit(train.Images, inputLevels, modelLevels).BitsPerDimension(test.Images);
            double uniform = Math.Log2(modelLevels);

            Console.WriteLine();
            Console.WriteLine($"Bits per dimension on the {test.Count} test image(s) (not trained on; lower is better), scored in {scoringSeconds:F1} s:");
            Console.WriteLine($"  bits/dim = -log2 p(image) / {test.Dimensions} pixel values: the bits per value a compressor built on the model would need.");
            var table = ResultTable.Create("model", ">bits/dim");
            foreach (var (what, bits) in rows)
                table.AddTextRow(what, $"{bits:F3}");
            ResultTable.Write(table
                .AddTextRow("independent pixels (each position's level frequencies in training, add-one)", $"{independent:F3}")
                .AddTextRow($"uniform guess among {modelLevels} levels (log2 {modelLevels})", $"{uniform:F3}"));
            if (summary.BestEpoch == 0 || summary.BestLoss is null)
            {
                Console.WriteLine("  No epoch improved on the initial weights: the model is untrained. Give it more time (--minutes) or epochs.");
                return;
            }
            var best = summary.History.First(e => e.Epoch == summary.BestEpoch);
            Console.WriteLine($"  The model holds the weights of epoch {summary.BestEpoch} ({(best.ValidationLoss is null ? "training" : "validation")} loss {summary.BestLoss:F3} bits/dim); training stopped: {Reporting.StopReasonText.Describe(summary, settings.Epochs, settings.TimeBudget)}.");
            if (summary.SkippedSteps > 0)
                Console.WriteLine($"  {summary.SkippedSteps} optimizer step(s) were skipped because their gradient was not finite.");
            if (reported >= independent)
                Console.WriteLine($"  The {kind} does not yet beat independent pixels: it has barely started learning; give it more --minutes or --epochs.");
        }

        /// <summary>
        /// Saves the model as a pipeline zip, loads it back and checks that the loaded model scores the first test images
        /// bit for bit as the original and draws the same images from the same seed. Returns the loaded model.
        /// </summary>
        internal static T SaveReloadAndCheck<T>(MLContext ml, ImagesSettings settings, T model, IDataView trainView, ImageSet test, Func<T, IDataView> drawEight)
            where T : class, ITransformer
        {
            string path = Path.Combine(settings.OutputDirectory, ImagesSettings.ModelFileName);
            ml.Model.Save(model, trainView.Schema, path);
            var loaded = (T)ml.Model.Load(path, out _);

            var checkedView = ImageDataView.Create(ml, test.Images.Take(CheckedImages), test.Dimensions);
            var original = model.Transform(checkedView).GetColumn<float>(ScoreColumnName).ToArray();
            var reloaded = loaded.Transform(checkedView).GetColumn<float>(ScoreColumnName).ToArray();
            // Bit for bit, not within a tolerance: the same weights and the same computation must give the same floats.
            bool identical = original.Length == reloaded.Length
                && original.Zip(reloaded).All(p => BitConverter.SingleToInt32Bits(p.First) == BitConverter.SingleToInt32Bits(p.Second));
            double maxDifference = original.Zip(reloaded, (a, b) => (double)Math.Abs(a - b)).DefaultIfEmpty(0).Max();
            bool sameImages = Pixels(drawEight(model), ImageRow.PixelsColumn).SequenceEqual(Pixels(drawEight(loaded), ImageRow.PixelsColumn));

            Console.WriteLine();
            Console.WriteLine($"Saved the model to {path} ({new FileInfo(path).Length / 1024.0:F0} KiB) and loaded it back:");
            Console.WriteLine(identical
                ? $"  check passed: the loaded model's scores equal the original's bit for bit on {original.Length} test image(s)."
                : $"  CHECK FAILED: the loaded model's scores differ by up to {maxDifference:G3} on {original.Length} test images.");
            Console.WriteLine(sameImages
                ? "  check passed: with the same seed both models draw the same images."
                : "  CHECK FAILED: with the same seed the two models draw different images.");
            return loaded;
        }

        /// <summary>All pixel values of a data view's images, one after another.</summary>
        private static IEnumerable<float> Pixels(IDataView images, string column) => images.GetColumn<float[]>(column).SelectMany(image => image);

        private static List<(string Path, string What)> WriteImages(MLContext ml, ImagesSettings settings, RealNvpImageTransformer model, ImageSet test)
        {
            var files = new List<(string, string)>();
            // Small images (8x8 digits) are drawn enlarged so the grids are readable at normal zoom.
            int pixelSize = Math.Max(1, 64 / Math.Max(model.Height, model.Width));
            // One seed for every temperature: the grids show the same latent draws, scaled, so the effect of the temperature is visible.
            foreach (float temperature in Temperatures)
            {
                string path = Path.Combine(settings.OutputDirectory, $"samples-t{temperature:0.0}.png");
                model.SaveImageGrid(model.Sample(SampleCount, temperature, settings.Seed), path, GridColumns, pixelSize);
                files.Add((path, $"{SampleCount} images drawn by the loaded model at temperature {temperature:0.0} (seed {settings.Seed})"));
            }

            int pairs = Math.Min(InterpolationPairs, test.Count / 2);
            if (pairs > 0)
            {
                // Test images 1 and 2, 3 and 4, ...: both ends are real images the model never trained on.
                var walk = new List<float[]>();
                for (int p = 0; p < pairs; p++)
                    walk.AddRange(model.Interpolate(test.Images[2 * p], test.Images[2 * p + 1], InterpolationSteps).GetColumn<float[]>(model.FeatureColumnName));
                string path = Path.Combine(settings.OutputDirectory, "interpolation.png");
                model.SaveImageGrid(ImageDataView.Create(ml, walk, test.Dimensions), path, InterpolationSteps, pixelSize);
                files.Add((path, $"{pairs} pair(s) of test images, one per row, with {InterpolationSteps - 2} images between them along a straight line in latent space"));
            }
            else
                Console.WriteLine("  (Only one test image: no interpolation.)");

            string real = Path.Combine(settings.OutputDirectory, "test-images.png");
            model.SaveImageGrid(ImageDataView.Create(ml, test.Images.Take(SampleCount), test.Dimensions), real, GridColumns, pixelSize);
            files.Add((real, $"the first {Math.Min(SampleCount, test.Count)} test image(s), to compare the samples with"));
            return files;
        }
    }
}
