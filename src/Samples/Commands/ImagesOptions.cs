using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using Samples.Cli;
using Samples.Text;

namespace Samples.Commands
{
    /// <summary>
    /// The command line of "images", declared for System.CommandLine (which parses it, checks it and writes --help),
    /// and read into <see cref="ImagesSettings"/>.
    /// </summary>
    internal sealed class ImagesOptions
    {
        public const string Notes =
            "The command reports bits per dimension on test images next to an independent-pixel model and a uniform guess, saves\n" +
            "the model, reloads and checks it, and writes PNG grids of sampled images and of interpolations between test images\n" +
            "(Real NVP) or of completions of test images whose bottom half is hidden (Pixel RNN).\n\n" +
            "Models (--model):\n" +
            "  realnvp   a multi-scale Real NVP flow: fast to train and to sample; bits/dim with uniform dequantization.\n" +
            "  pixelrnn  a Pixel RNN (--architecture gated: gated PixelCNN; rowlstm: Row LSTM): each pixel value a softmax given\n" +
            "            the ones before it; exact bits/dim of the discrete pixels, usually lower; sampling is pixel by pixel.\n" +
            "--scales and --blocks are Real NVP options; --architecture and --layers Pixel RNN options.\n\n" +
            "Input files (gzipped or not; the name decides the format):\n" +
            "  *.csv, *.csv.gz  one image per row, pixel values as whole numbers separated by commas, in (channel, row,\n" +
            "                   column) order; a first line whose first field is not a number is a header and is skipped.\n" +
            "  anything else    an IDX image file (magic 0x00000803) as MNIST and Fashion-MNIST ship them.\n" +
            "--drop-column, --channels, --height and --width describe CSV files.\n\n" +
            "Exit codes: 0 success, 1 unusable file or data, 2 bad command line.";

        private readonly Option<string> _model = new Option<string>("--model")
        {
            Description = "The model: realnvp (flow) or pixelrnn (autoregressive)",
            HelpName = "name",
            DefaultValueFactory = _ => "realnvp",
        }.AcceptOnlyFromAmong("realnvp", "pixelrnn");

        private readonly Option<string> _architecture = new Option<string>("--architecture")
        {
            Description = "Pixel RNN network: gated (gated PixelCNN) or rowlstm (Row LSTM)",
            HelpName = "name",
            DefaultValueFactory = _ => "gated",
        }.AcceptOnlyFromAmong("gated", "rowlstm");

        private readonly Option<int?> _layers = new Option<int?>("--layers")
        {
            Description = $"Pixel RNN layers (default {new Microsoft.ML.Generative.PixelRnnOptions().NumberOfLayers})",
            HelpName = "n",
        }.InRange(1, 64);

        private readonly Option<string> _train = new Option<string>("--train")
        {
            Description = "The training images, IDX or CSV",
            HelpName = "file",
            Required = true,
        }.NotBlank();

        private readonly Option<string> _test = new Option<string>("--test")
        {
            Description = "Test images of the same size (default: the last part of --train is held out)",
            HelpName = "file",
        }.NotBlank();

        private readonly Option<double> _testFraction = new Option<double>("--test-fraction")
        {
            Description = "Without --test: the fraction of --train held out, from its end",
            HelpName = "f",
            DefaultValueFactory = _ => ImagesSettings.DefaultTestFraction,
        }.InRange(0.001, 0.9);

        private readonly Option<int> _maxImages = new Option<int>("--max-images")
        {
            Description = "Use only the first n images of --train, before any hold-out; 0 for all",
            HelpName = "n",
            DefaultValueFactory = _ => 0,
        }.InRange(0);

        private readonly Option<int> _maxTestImages = new Option<int>("--max-test-images")
        {
            Description = "Score only the first n test images; 0 for all",
            HelpName = "n",
            DefaultValueFactory = _ => ImagesSettings.DefaultMaxTestImages,
        }.InRange(0);

        private readonly Option<int?> _levels = new Option<int?>("--levels")
        {
            Description = "Pixel levels: values are 0 .. k-1 (default 256 for IDX; for CSV the largest value in the files + 1, " +
                          "e.g. 17 for scikit-learn's digits, 0..16)",
            HelpName = "k",
        }.InRange(2, 65536);

        private readonly Option<int?> _bits = new Option<int?>("--bits")
        {
            Description = "Model 2^b levels instead of all of them (e.g. 5, as in the Glow paper); bits/dim then refers to the " +
                          "reduced images (default: all levels)",
            HelpName = "b",
        }.InRange(1, 16);

        private readonly Option<int?> _dropColumn = new Option<int?>("--drop-column")
        {
            Description = "CSV: ignore column i, e.g. a class label: 0 is the first, -1 the last (default none)",
            HelpName = "i",
        }.InRange(-100_000, 100_000);

        private readonly Option<int> _channels = new Option<int>("--channels")
        {
            Description = "CSV: 1 (grey) or 3 (RGB)",
            HelpName = "c",
            DefaultValueFactory = _ => 1,
        };

        private readonly Option<int?> _height = new Option<int?>("--height")
        {
            Description = "CSV: image height (default: from the row length: square, or worked out from --width)",
            HelpName = "h",
        }.InRange(1, 4096);

        private readonly Option<int?> _width = new Option<int?>("--width")
        {
            Description = "CSV: image width (default: from the row length: square, or worked out from --height)",
            HelpName = "w",
        }.InRange(1, 4096);

        private readonly Option<double> _minutes = new Option<double>("--minutes")
        {
            Description = "Training time budget in minutes, e.g. 0.5; 0 for none",
            HelpName = "m",
            DefaultValueFactory = _ => ImagesSettings.DefaultMinutes,
        }.InRange(0, 100_000);

        private readonly Option<int> _epochs = new Option<int>("--epochs")
        {
            Description = "Maximum passes over the training images; early stopping may end sooner",
            HelpName = "n",
            DefaultValueFactory = _ => ImagesSettings.DefaultEpochs,
        }.InRange(1, 100_000);

        private readonly Option<int?> _scales = new Option<int?>("--scales")
        {
            Description = $"Scales of the flow; every scale but the last halves height and width, so they must be even there " +
                          $"(default {ImagesSettings.DefaultScales}, or fewer if the size does not allow it)",
            HelpName = "n",
        }.InRange(1, 12);

        private readonly Option<int?> _featureMaps = new Option<int?>("--feature-maps")
        {
            Description = $"Channels of the convolutions (the couplings', or the Pixel RNN's units per layer), a multiple of 16 " +
                          $"(default {ImagesSettings.DefaultFeatureMaps} for Real NVP, {new Microsoft.ML.Generative.PixelRnnOptions().FeatureMaps} for Pixel RNN)",
            HelpName = "n",
        }.InRange(16, 1024);

        private readonly Option<int> _blocks = new Option<int>("--blocks")
        {
            Description = "Residual blocks per coupling network",
            HelpName = "n",
            DefaultValueFactory = _ => ImagesSettings.DefaultBlocks,
        }.InRange(0, 32);

        private readonly Option<int?> _batchSize = new Option<int?>("--batch-size")
        {
            Description = $"Images per optimizer step (default {ImagesSettings.DefaultBatchSize} for Real NVP, {new Microsoft.ML.Generative.PixelRnnOptions().BatchSize} for Pixel RNN)",
            HelpName = "n",
        }.InRange(2, 65536);

        private readonly Option<double> _learningRate = new Option<double>("--learning-rate")
        {
            Description = "AdamW learning rate, with a cosine schedule",
            HelpName = "r",
            DefaultValueFactory = _ => ImagesSettings.DefaultLearningRate,
        }.InRange(1e-7, 1);

        private readonly Option<int> _seed = new Option<int>("--seed")
        {
            Description = "Seed of the training, the dequantization noise and the samples",
            HelpName = "n",
            DefaultValueFactory = _ => ImagesSettings.DefaultSeed,
        }.InRange(0);

        private readonly Option<int> _threads = new Option<int>("--threads")
        {
            Description = "CPU threads; 0 for one per core (on a busy machine more threads can make training many times slower)",
            HelpName = "n",
            DefaultValueFactory = _ => TorchThreads.Default,
        }.InRange(0, 256);

        private readonly Option<string> _output = new Option<string>("--output")
        {
            Description = $"Where {ImagesSettings.ModelFileName} and the PNGs go",
            HelpName = "dir",
            DefaultValueFactory = _ => ImagesSettings.DefaultOutput,
        }.NotBlank();

        public ImagesOptions()
        {
            // The PNG grids are grey or RGB (the model itself would take any number of channels).
            _channels.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() is not (1 or 3))
                    result.AddError($"option --channels expects 1 (grey) or 3 (RGB), not {result.GetValueOrDefault<int>()}.");
            });
            _featureMaps.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int?>() is int value && value % 16 != 0)
                    result.AddError($"option --feature-maps expects a multiple of 16 (16, 32, 48, ...), not {value}.");
            });
        }

        public void AddTo(Command command)
        {
            foreach (var option in new Option[]
                     {
                         _model, _architecture, _layers, _train, _test, _testFraction, _maxImages, _maxTestImages, _levels, _bits, _dropColumn, _channels, _height, _width,
                         _minutes, _epochs, _scales, _featureMaps, _blocks, _batchSize, _learningRate, _seed, _threads, _output,
                     })
                command.Options.Add(option);

            command.Validators.Add(result =>
            {
                bool Given(Option option) => result.GetResult(option) is { Implicit: false };
                if (Given(_test) && Given(_testFraction))
                    result.AddError("--test-fraction applies only without --test: with a test file nothing is held out of the training file.");
                bool pixelRnn = result.GetValue(_model) == "pixelrnn";
                foreach (var other in (pixelRnn ? new Option[] { _scales, _blocks } : new Option[] { _architecture, _layers }).Where(Given))
                    result.AddError($"{other.Name} is a {(pixelRnn ? "Real NVP" : "Pixel RNN")} option; this run trains a {(pixelRnn ? "Pixel RNN" : "Real NVP")} (--model {result.GetValue(_model)}).");
                // The layout options describe CSV rows; an IDX header gives the size itself, so there they would be ignored silently.
                string train = result.GetValue(_train), test = result.GetValue(_test);
                if (train is null || ImagesSettings.IsCsv(train) || (test is not null && ImagesSettings.IsCsv(test))) return;
                foreach (var csvOnly in new Option[] { _dropColumn, _channels, _height, _width }.Where(Given))
                    result.AddError($"{csvOnly.Name} describes CSV files; {Path.GetFileName(train)} is read as an IDX file, whose header gives the image size. " +
                                    "(A CSV file must be named *.csv or *.csv.gz.)");
            });
        }

        public ImagesSettings Read(ParseResult result)
        {
            double minutes = result.GetValue(_minutes);
            return new ImagesSettings
            {
                Model = result.GetValue(_model) == "pixelrnn" ? ImageModel.PixelRnn : ImageModel.RealNvp,
                Architecture = result.GetValue(_architecture) == "rowlstm" ? Microsoft.ML.Generative.PixelRnnArchitecture.RowLstm : Microsoft.ML.Generative.PixelRnnArchitecture.GatedPixelCnn,
                Layers = result.GetValue(_layers),
                TrainPath = result.GetValue(_train),
                TestPath = result.GetValue(_test),
                TestFraction = result.GetValue(_testFraction),
                MaxImages = result.GetValue(_maxImages),
                MaxTestImages = result.GetValue(_maxTestImages),
                Levels = result.GetValue(_levels),
                Bits = result.GetValue(_bits),
                DropColumn = result.GetValue(_dropColumn),
                Channels = result.GetValue(_channels),
                Height = result.GetValue(_height),
                Width = result.GetValue(_width),
                TimeBudget = minutes > 0 ? TimeSpan.FromMinutes(minutes) : null,
                Epochs = result.GetValue(_epochs),
                Scales = result.GetValue(_scales),
                FeatureMaps = result.GetValue(_featureMaps),
                Blocks = result.GetValue(_blocks),
                BatchSize = result.GetValue(_batchSize),
                LearningRate = (float)result.GetValue(_learningRate),
                Seed = result.GetValue(_seed),
                Threads = result.GetValue(_threads),
                OutputDirectory = result.GetValue(_output),
            };
        }
    }
}
