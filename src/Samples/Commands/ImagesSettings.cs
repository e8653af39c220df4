using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Samples.Cli;
using Samples.Text;

namespace Samples.Commands
{
    /// <summary>The options of the "images" command, parsed and checked.</summary>
    internal sealed class ImagesSettings
    {
        public const double DefaultMinutes = 5, DefaultTestFraction = 0.1, DefaultLearningRate = 1e-3;
        public const int DefaultEpochs = 50, DefaultMaxTestImages = 1000, DefaultScales = 2, DefaultFeatureMaps = 32, DefaultBlocks = 2,
            DefaultBatchSize = 64, DefaultSeed = 1, IdxLevels = 256;
        public const string DefaultOutput = "samples-output/images";
        public const string ModelFileName = "model.zip";

        public string TrainPath { get; private init; }
        /// <summary>Null: the last <see cref="TestFraction"/> of the training file is held out instead.</summary>
        public string TestPath { get; private init; }
        public double TestFraction { get; private init; }
        /// <summary>0: every image of the training file.</summary>
        public int MaxImages { get; private init; }
        /// <summary>0: every test image.</summary>
        public int MaxTestImages { get; private init; }
        /// <summary>CSV only: a 0-based column to ignore, negative from the end; null for none.</summary>
        public int? DropColumn { get; private init; }
        /// <summary>CSV only: 1 (grey) or 3 (RGB).</summary>
        public int Channels { get; private init; }
        /// <summary>CSV only; null: from the row length.</summary>
        public int? Height { get; private init; }
        /// <summary>CSV only; null: from the row length.</summary>
        public int? Width { get; private init; }
        /// <summary>Null: 256 for IDX, the largest value + 1 for CSV (see ImagesCommand).</summary>
        public int? Levels { get; private init; }
        /// <summary>Null: model every level.</summary>
        public int? Bits { get; private init; }
        /// <summary>Null: no time budget (epochs and early stopping only).</summary>
        public TimeSpan? TimeBudget { get; private init; }
        public int Epochs { get; private init; }
        /// <summary>Null: 2, or fewer if the image size does not allow 2.</summary>
        public int? Scales { get; private init; }
        public int FeatureMaps { get; private init; }
        public int Blocks { get; private init; }
        public int BatchSize { get; private init; }
        public float LearningRate { get; private init; }
        public int Seed { get; private init; }
        /// <summary>0: libtorch's default (one thread per core).</summary>
        public int Threads { get; private init; }
        public string OutputDirectory { get; private init; }

        public static string Usage =>
            "Usage: dotnet run --project src/Samples -- images --train <file> [options]\n\n" +
            "Trains a multi-scale Real NVP flow on grey or colour images, reports its bits per dimension on test images\n" +
            "next to an independent-pixel model and a uniform guess, saves the model, reloads and checks it, and writes\n" +
            "PNG grids of sampled images and of interpolations between test images.\n\n" +
            "Input files (gzipped or not; the name decides the format):\n" +
            "  *.csv, *.csv.gz  one image per row, pixel values as whole numbers separated by commas, in (channel, row,\n" +
            "                   column) order; a first line whose first field is not a number is a header and is skipped.\n" +
            "  anything else    an IDX image file (magic 0x00000803) as MNIST and Fashion-MNIST ship them.\n\n" +
            "Options:\n" +
            "  --train <file>           the training images (required)\n" +
            "  --test <file>            test images of the same size (default: the last part of --train is held out)\n" +
            $"  --test-fraction <f>      without --test: the fraction of --train held out, from its end (default {DefaultTestFraction.ToString(CultureInfo.InvariantCulture)})\n" +
            "  --max-images <n>         use only the first n images of --train, before any hold-out (default all)\n" +
            $"  --max-test-images <n>    score only the first n test images; 0 for all (default {DefaultMaxTestImages})\n" +
            "  --levels <k>             pixel levels: values are 0 .. k-1 (default 256 for IDX; for CSV the largest\n" +
            "                           value in the files + 1, e.g. 17 for scikit-learn's digits, 0..16)\n" +
            "  --bits <b>               model 2^b levels instead of all of them (e.g. 5, as in the Glow paper); bits/dim\n" +
            "                           then refers to the reduced images (default: all levels)\n" +
            "CSV layout:\n" +
            "  --drop-column <i>        ignore column i, e.g. a class label: 0 is the first, -1 the last (default none)\n" +
            "  --channels <c>           1 (grey) or 3 (RGB) (default 1)\n" +
            "  --height <h>             image height; --width <w> image width (default: from the row length: square,\n" +
            "                           or the one of the two not given from the other)\n" +
            "Model and training:\n" +
            $"  --minutes <m>            training time budget in minutes, e.g. 0.5; 0 for none (default {DefaultMinutes})\n" +
            $"  --epochs <n>             maximum passes over the training images; early stopping may end sooner (default {DefaultEpochs})\n" +
            $"  --scales <n>             scales of the flow; every scale but the last halves height and width, so they must\n" +
            $"                           be even there (default {DefaultScales}, or fewer if the size does not allow it)\n" +
            $"  --feature-maps <n>       channels of the couplings' convolutions, a multiple of 16 (default {DefaultFeatureMaps})\n" +
            $"  --blocks <n>             residual blocks per coupling network (default {DefaultBlocks})\n" +
            $"  --batch-size <n>         images per optimizer step (default {DefaultBatchSize})\n" +
            $"  --learning-rate <r>      AdamW learning rate, with a cosine schedule (default {DefaultLearningRate.ToString(CultureInfo.InvariantCulture)})\n" +
            $"  --seed <n>               seed of the training, the dequantization noise and the samples (default {DefaultSeed})\n" +
            "  --threads <n>            CPU threads; 0 for one per core (default 1: on a busy machine more threads\n" +
            "                           can make training many times slower)\n" +
            $"  --output <dir>           where {ModelFileName} and the PNGs go (default ./{DefaultOutput})\n" +
            "  --help                   this text\n\n" +
            "Exit codes: 0 success, 1 unusable file or data, 2 bad command line.\n";

        public static ImagesSettings Parse(IReadOnlyList<string> args)
        {
            var parsed = ParsedArguments.Parse(args,
                valueOptions: new[]
                {
                    "train", "test", "test-fraction", "max-images", "max-test-images", "levels", "bits", "drop-column", "channels", "height", "width",
                    "minutes", "epochs", "scales", "feature-maps", "blocks", "batch-size", "learning-rate", "seed", "threads", "output",
                },
                flags: new string[0]);
            string train = parsed.GetString("train") ?? throw new UsageException("option --train is required: the images to train on (IDX or CSV).");
            string test = parsed.GetString("test");
            if (test is not null && parsed.Has("test-fraction"))
                throw new UsageException("--test-fraction applies only without --test: with a test file nothing is held out of the training file.");
            // The layout options describe CSV rows; an IDX header gives the size itself, so there they would be ignored silently.
            if (!IsCsv(train) && (test is null || !IsCsv(test)))
                foreach (var csvOnly in new[] { "drop-column", "channels", "height", "width" })
                    if (parsed.Has(csvOnly))
                        throw new UsageException($"--{csvOnly} describes CSV files; {Path.GetFileName(train)} is read as an IDX file, whose header gives the image size. (A CSV file must be named *.csv or *.csv.gz.)");
            double minutes = parsed.GetNumber("minutes", DefaultMinutes, min: 0, max: 100_000);
            int featureMaps = parsed.GetInt("feature-maps", DefaultFeatureMaps, min: 16, max: 1024);
            if (featureMaps % 16 != 0)
                throw new UsageException($"--feature-maps expects a multiple of 16 (16, 32, 48, ...), not {featureMaps}.");

            return new ImagesSettings
            {
                TrainPath = train,
                TestPath = test,
                TestFraction = parsed.GetNumber("test-fraction", DefaultTestFraction, min: 0.001, max: 0.9),
                MaxImages = parsed.GetInt("max-images", 0, min: 0),
                MaxTestImages = parsed.GetInt("max-test-images", DefaultMaxTestImages, min: 0),
                Levels = parsed.Has("levels") ? parsed.GetInt("levels", 0, min: 2, max: 65536) : null,
                Bits = parsed.Has("bits") ? parsed.GetInt("bits", 0, min: 1, max: 16) : null,
                DropColumn = parsed.Has("drop-column") ? parsed.GetInt("drop-column", 0, min: -100_000, max: 100_000) : null,
                Channels = parsed.GetString("channels", "1") switch
                {
                    "1" => 1,
                    "3" => 3,
                    // The model takes any number, but the PNG grids are grey or RGB.
                    var other => throw new UsageException($"option --channels expects 1 (grey) or 3 (RGB), not '{other}'."),
                },
                Height = parsed.Has("height") ? parsed.GetInt("height", 0, min: 1, max: 4096) : null,
                Width = parsed.Has("width") ? parsed.GetInt("width", 0, min: 1, max: 4096) : null,
                TimeBudget = minutes > 0 ? TimeSpan.FromMinutes(minutes) : null,
                Epochs = parsed.GetInt("epochs", DefaultEpochs, min: 1, max: 100_000),
                Scales = parsed.Has("scales") ? parsed.GetInt("scales", 0, min: 1, max: 12) : null,
                FeatureMaps = featureMaps,
                Blocks = parsed.GetInt("blocks", DefaultBlocks, min: 0, max: 32),
                BatchSize = parsed.GetInt("batch-size", DefaultBatchSize, min: 2, max: 65536),
                LearningRate = (float)parsed.GetNumber("learning-rate", DefaultLearningRate, min: 1e-7, max: 1),
                Seed = parsed.GetInt("seed", DefaultSeed, min: 0),
                Threads = parsed.GetInt("threads", TorchThreads.Default, min: 0, max: 256),
                OutputDirectory = parsed.GetString("output", DefaultOutput),
            };
        }

        /// <summary>True for a file read as CSV: its name ends in .csv or .csv.gz (any case); every other file is read as IDX.</summary>
        public static bool IsCsv(string path)
            => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase);
    }
}
