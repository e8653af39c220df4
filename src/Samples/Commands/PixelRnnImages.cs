using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Generative;
using Samples.Cli;
using Samples.Imaging;
using Samples.Reporting;

namespace Samples.Commands
{
    /// <summary>
    /// The "images" command with --model pixelrnn: trains a Pixel RNN (gated PixelCNN or Row LSTM) with progress, reports
    /// its exact bits/dim beside the same references as the flow, checks save and reload, and writes PNG grids of samples
    /// and of completions: test images whose bottom half is hidden, completed by the model from their top half.
    /// </summary>
    internal static class PixelRnnImages
    {
        private const int CompletedImages = 8, CompletionsPerImage = 4;

        public static List<(string Path, string What)> Run(MLContext ml, ImagesSettings settings, IDataView trainView, IDataView testView,
            ImageSet train, ImageSet test, int levels, int modelLevels)
        {
            // Disposing the transformers releases the networks' native (libtorch) memory.
            using var model = Train(ml, settings, trainView, train, levels);
            var clock = Stopwatch.StartNew();
            double bits = model.Transform(testView).GetColumn<float>(PixelRnnTransformer.BitsPerDimensionColumnName).Average(v => (double)v);
            ImagesCommand.ReportBitsPerDimension(settings, model.TrainingSummary, train, test, levels, modelLevels, clock.Elapsed.TotalSeconds, bits, "model",
                ($"Pixel RNN ({Describe(model.Architecture)}), exact: mean of the BitsPerDimension column (no dequantization)", bits));
            Console.WriteLine("  A flow's dequantized bits/dim (--model realnvp) is on the same scale: the papers compare the two directly.");
            using var loaded = ImagesCommand.SaveReloadAndCheck(ml, settings, model, trainView, test, m => m.Sample(8, 1f, settings.Seed));
            var files = WriteImages(ml, settings, loaded, test);
            files.Insert(0, (Path.Combine(settings.OutputDirectory, ImagesSettings.ModelFileName), "the fitted PixelRnnTransformer; load it with mlContext.Model.Load"));
            return files;
        }

        private static string Describe(PixelRnnArchitecture architecture) => architecture == PixelRnnArchitecture.RowLstm ? "Row LSTM" : "gated PixelCNN";

        private static PixelRnnTransformer Train(MLContext ml, ImagesSettings settings, IDataView trainView, ImageSet train, int levels)
        {
            var options = new PixelRnnOptions
            {
                FeatureColumnName = ImageRow.PixelsColumn,
                Channels = train.Channels,
                Height = train.Height,
                Width = train.Width,
                PixelLevels = levels,
                NumberOfBits = settings.Bits,
                Architecture = settings.Architecture,
                MaxEpochs = settings.Epochs,
                MaxTrainingTime = settings.TimeBudget,
                LearningRate = settings.LearningRate,
                Seed = settings.Seed,
            };
            if (settings.Layers is int layers) options.NumberOfLayers = layers;
            if (settings.FeatureMaps is int maps) options.FeatureMaps = maps;
            if (settings.BatchSize is int batch) options.BatchSize = batch;

            Console.WriteLine();
            string budget = settings.TimeBudget is TimeSpan t ? $" or {t.TotalMinutes:0.##} min, whichever comes first" : "";
            Console.WriteLine($"Training a Pixel RNN ({Describe(options.Architecture)}, {options.NumberOfLayers} layers of {options.FeatureMaps} units; up to {options.MaxEpochs} epochs{budget});");
            Console.WriteLine("  loss = bits per dimension (-log2 p per pixel value, each value a softmax over the levels given the values before");
            Console.WriteLine($"  it), lower is better; 'valid' is measured on the {options.ValidationFraction * 100:0.#}% of the training images the library holds out.");
            return ImagesCommand.FitWithProgress(ml, () => ml.Generative().PixelRnn(options).Fit(trainView), settings);
        }

        private static List<(string Path, string What)> WriteImages(MLContext ml, ImagesSettings settings, PixelRnnTransformer model, ImageSet test)
        {
            var files = new List<(string, string)>();
            int pixelSize = Math.Max(1, 64 / Math.Max(model.Height, model.Width));
            foreach (float temperature in ImagesCommand.Temperatures)
            {
                string path = Path.Combine(settings.OutputDirectory, $"samples-t{temperature:0.0}.png");
                var clock = Stopwatch.StartNew();
                var samples = model.Sample(ImagesCommand.SampleCount, temperature, settings.Seed);
                model.SaveImageGrid(samples, path, ImagesCommand.GridColumns, pixelSize);
                files.Add((path, $"{ImagesCommand.SampleCount} images drawn by the loaded model at temperature {temperature:0.0} (seed {settings.Seed}), in {clock.Elapsed.TotalSeconds:F1} s"));
            }

            // The seed's completion figure: the top half given, the bottom half drawn by the model.
            int n = Math.Min(CompletedImages, test.Count), knownRows = model.Height / 2, hiddenFrom = knownRows * model.Width;
            var originals = test.Images.Take(n).ToList();
            var completions = model.Complete(ImageDataView.Create(ml, originals, test.Dimensions), knownRows, CompletionsPerImage, settings.Seed)
                .GetColumn<float[]>(model.FeatureColumnName).ToList();
            var grid = new List<float[]>();
            float grey = (model.PixelLevels - 1) / 2f;
            for (int i = 0; i < n; i++)
            {
                // The hidden rows drawn mid-grey in every channel, so the part the model had to fill in is visible.
                var hidden = (float[])originals[i].Clone();
                for (int c = 0; c < model.Channels; c++)
                    Array.Fill(hidden, grey, c * model.Height * model.Width + hiddenFrom, model.Height * model.Width - hiddenFrom);
                grid.Add(hidden);
                grid.AddRange(completions.Skip(i * CompletionsPerImage).Take(CompletionsPerImage));
                grid.Add(originals[i]);
            }
            string completed = Path.Combine(settings.OutputDirectory, "completions.png");
            model.SaveImageGrid(ImageDataView.Create(ml, grid, test.Dimensions), completed, CompletionsPerImage + 2, pixelSize);
            files.Add((completed, $"{n} test image(s), one per row: the top {knownRows} rows given (bottom hidden, grey), {CompletionsPerImage} completions drawn by the model, the original"));

            string real = Path.Combine(settings.OutputDirectory, "test-images.png");
            model.SaveImageGrid(ImageDataView.Create(ml, test.Images.Take(ImagesCommand.SampleCount), test.Dimensions), real, ImagesCommand.GridColumns, pixelSize);
            files.Add((real, $"the first {Math.Min(ImagesCommand.SampleCount, test.Count)} test image(s), to compare the samples with"));
            return files;
        }
    }
}
