using System;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace Samples.Reporting
{
    /// <summary>
    /// Shows Real NVP training progress from the MLContext log: a live, rewritten bar on a terminal, or a plain
    /// line every few epochs when output goes to a file or pipe (where carriage returns would only add clutter).
    /// Dispose to unsubscribe.
    /// </summary>
    internal sealed partial class TrainingProgress : IDisposable
    {
        private const string EstimatorSource = "RealNvpEstimator";
        private const int BarWidth = 16;
        private const int PlainEvery = 10;

        private readonly MLContext _ml;
        private readonly bool _live = !Console.IsOutputRedirected;
        private string _pendingPlainLine;
        private bool _lineOpen;
        private double _best = double.PositiveInfinity;
        private int _bestEpoch;

        public TrainingProgress(MLContext ml)
        {
            _ml = ml;
            _ml.Log += OnLog;
        }

        [GeneratedRegex(@"^Epoch (\d+)/(\d+): training loss ([^,]+)(?:, validation loss ([^, ]+))?")]
        private static partial Regex EpochMessage();

        private void OnLog(object sender, LoggingEventArgs e)
        {
            // The log carries every ML.NET component's messages, including verbose traces: keep the flow's own.
            if (e.Kind == ChannelMessageKind.Trace || e.Source is null || !e.Source.StartsWith(EstimatorSource, StringComparison.Ordinal))
                return;
            var match = EpochMessage().Match(e.RawMessage);
            if (match.Success)
                ShowEpoch(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value),
                    Parse(match.Groups[3].Value), match.Groups[4].Success ? Parse(match.Groups[4].Value) : null);
            else
                ShowMessage(e.RawMessage);
        }

        private void ShowEpoch(int epoch, int maxEpochs, double trainingLoss, double? validationLoss)
        {
            double monitored = validationLoss ?? trainingLoss;
            if (monitored < _best) (_best, _bestEpoch) = (monitored, epoch);
            string losses = $"train {trainingLoss,7:F2}" + (validationLoss is double v ? $"  valid {v,7:F2}" : "") + $"  best {_best:F2} ({_bestEpoch})";
            if (_live)
            {
                int filled = (int)Math.Round(BarWidth * (double)epoch / maxEpochs);
                string line = $"  epoch {epoch.ToString().PadLeft(maxEpochs.ToString().Length)}/{maxEpochs} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {losses}";
                int width = SafeWindowWidth();
                if (line.Length > width - 1) line = line[..(width - 1)];
                Console.Write("\r" + line.PadRight(width - 1));
                _lineOpen = true;
            }
            else
            {
                string line = $"  epoch {epoch.ToString().PadLeft(maxEpochs.ToString().Length)}/{maxEpochs}: {losses}";
                if (epoch == 1 || epoch % PlainEvery == 0)
                {
                    Console.WriteLine(line);
                    _pendingPlainLine = null;
                }
                else
                    _pendingPlainLine = line; // printed if this turns out to be the last epoch
            }
        }

        private void ShowMessage(string message)
        {
            EndLine();
            Console.WriteLine("  " + message);
        }

        /// <summary>Closes the live line (or prints the last epoch's plain line) before other output.</summary>
        public void EndLine()
        {
            if (_lineOpen) Console.WriteLine();
            _lineOpen = false;
            if (_pendingPlainLine is not null) Console.WriteLine(_pendingPlainLine);
            _pendingPlainLine = null;
        }

        public void Dispose()
        {
            _ml.Log -= OnLog;
            EndLine();
        }

        private static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

        private static int SafeWindowWidth()
        {
            try { return Console.WindowWidth > 0 ? Console.WindowWidth : 80; }
            catch (System.IO.IOException) { return 80; }
        }
    }
}
