using System;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace Samples.Reporting
{
    /// <summary>
    /// Shows training progress of the library's estimators (Real NVP for vectors and images, char-RNN) from the
    /// MLContext log: a live, rewritten line on a terminal, with the elapsed time ticking every second (epochs of a
    /// language model can take minutes); or a plain line every few epochs when output goes to a file or pipe (where
    /// carriage returns would only add clutter). Dispose to unsubscribe.
    /// </summary>
    internal sealed partial class TrainingProgress : IDisposable
    {
        /// <summary>The log sources (ML.NET host names) whose messages are shown.</summary>
        private static readonly string[] EstimatorSources = { "RealNvpEstimator", "RealNvpImageEstimator", "CharRnnEstimator" };
        private const int BarWidth = 16;
        /// <summary>Plain output: a line every this many epochs, ...</summary>
        private const int PlainEvery = 10;
        /// <summary>... or when this much time passed since the last one.</summary>
        private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(30);

        private readonly MLContext _ml;
        private readonly TimeSpan? _timeBudget;
        private readonly string _lossFormat;
        private readonly bool _live = !Console.IsOutputRedirected;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Timer _ticker;
        private readonly object _consoleLock = new();
        private TimeSpan _lastPlainLine;
        private string _pendingPlainLine;
        /// <summary>Live output: the latest epoch's "epoch n/N" and losses, or null before the first epoch ends.</summary>
        private string _epochs, _losses;
        /// <summary>Set by EndLine: the clock stops redrawing until the next epoch or message.</summary>
        private bool _paused;
        private double _epochFraction;
        private bool _lineOpen;
        private double _best = double.PositiveInfinity;
        private int _bestEpoch;

        /// <param name="ml">The context whose log to follow.</param>
        /// <param name="timeBudget">The estimator's training time budget, if any: the clock shows the time used of it,
        /// and the bar follows whichever is further along, the epochs or the budget.</param>
        /// <param name="lossDecimals">Decimals of the losses: 2 suits nats per row (Real NVP), 3 nats per character or bits per dimension.</param>
        public TrainingProgress(MLContext ml, TimeSpan? timeBudget = null, int lossDecimals = 2)
        {
            _ml = ml;
            _timeBudget = timeBudget;
            _lossFormat = "F" + lossDecimals.ToString(CultureInfo.InvariantCulture);
            _ml.Log += OnLog;
            if (_live) _ticker = new Timer(_ => Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }

        [GeneratedRegex(@"^Epoch (\d+)/(\d+): training loss ([^, ]+)(?:, validation loss ([^, ]+))?(?: \(best\))?(?:, ([0-9.]+) (\S+)/s)?")]
        private static partial Regex EpochMessage();

        private void OnLog(object sender, LoggingEventArgs e)
        {
            // The log carries every ML.NET component's messages, including verbose traces: keep the estimators' own.
            if (e.Kind == ChannelMessageKind.Trace || e.Source is null || Array.TrueForAll(EstimatorSources, s => !e.Source.StartsWith(s, StringComparison.Ordinal)))
                return;
            var match = EpochMessage().Match(e.RawMessage);
            lock (_consoleLock)
            {
                // An epoch line whose numbers do not parse (a format this class does not know) is shown as it is.
                if (match.Success && TryParse(match.Groups[3], out double trainingLoss) && TryParse(match.Groups[4], out double validationLoss)
                    && TryParse(match.Groups[5], out double throughput))
                    ShowEpoch(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
                        trainingLoss, match.Groups[4].Success ? validationLoss : null,
                        match.Groups[5].Success ? $"{Throughput(throughput)} {match.Groups[6].Value}/s" : null);
                else
                    ShowMessage(e.RawMessage);
            }
        }

        private void ShowEpoch(int epoch, int maxEpochs, double trainingLoss, double? validationLoss, string throughput)
        {
            double monitored = validationLoss ?? trainingLoss;
            if (monitored < _best) (_best, _bestEpoch) = (monitored, epoch);
            string losses = $"train {Loss(trainingLoss)}" + (validationLoss is double v ? $"  valid {Loss(v)}" : "") + $"  best {_best.ToString(_lossFormat)} ({_bestEpoch})"
                + (throughput is null ? "" : "  " + throughput);
            string epochs = $"epoch {epoch.ToString().PadLeft(maxEpochs.ToString().Length)}/{maxEpochs}";
            if (_live)
            {
                (_epochFraction, _epochs, _losses, _paused) = ((double)epoch / maxEpochs, epochs, losses, false);
                Draw();
            }
            else
            {
                string line = $"  {epochs}: {losses}, {Clock()}";
                if (epoch == 1 || epoch % PlainEvery == 0 || _clock.Elapsed - _lastPlainLine >= PlainInterval)
                {
                    Console.WriteLine(line);
                    _pendingPlainLine = null;
                    _lastPlainLine = _clock.Elapsed;
                }
                else
                    _pendingPlainLine = line; // printed if this turns out to be the last epoch
            }
        }

        private void ShowMessage(string message)
        {
            if (_live)
            {
                // The message goes above the live line, which is redrawn below it.
                Clear();
                Console.WriteLine("  " + message);
                _paused = false;
                if (_epochs is not null) Draw();
            }
            else
            {
                FlushPendingPlainLine();
                Console.WriteLine("  " + message);
            }
        }

        /// <summary>Rewrites the live line with the current clock (every second, and when an epoch ends).</summary>
        private void Tick()
        {
            lock (_consoleLock)
                if (!_paused) Draw();
        }

        private void Draw()
        {
            if (!_live) return;
            double fraction = _epochFraction;
            if (_timeBudget is TimeSpan budget) fraction = Math.Max(fraction, Math.Min(1, _clock.Elapsed / budget));
            int filled = (int)Math.Round(BarWidth * fraction);
            string bar = $"[{new string('#', filled)}{new string('.', BarWidth - filled)}]";
            string line = _epochs is null ? $"  training {bar} {Clock()}" : $"  {_epochs} {bar} {Clock()}  {_losses}";
            int width = SafeWindowWidth();
            if (line.Length > width - 1) line = line[..(width - 1)];
            Console.Write("\r" + line.PadRight(width - 1));
            _lineOpen = true;
        }

        /// <summary>Blanks the live line, so other output can take its place.</summary>
        private void Clear()
        {
            if (!_lineOpen) return;
            Console.Write("\r" + new string(' ', SafeWindowWidth() - 1) + "\r");
            _lineOpen = false;
        }

        /// <summary>Ends the progress display: the last epoch's line stays on screen (or is printed, when output is plain).</summary>
        public void EndLine()
        {
            lock (_consoleLock)
            {
                if (_live)
                {
                    if (_epochs is not null)
                    {
                        Draw();
                        Console.WriteLine();
                        _lineOpen = false;
                    }
                    else
                        Clear();
                    (_epochs, _losses, _paused) = (null, null, true);
                }
                else
                    FlushPendingPlainLine();
            }
        }

        private void FlushPendingPlainLine()
        {
            if (_pendingPlainLine is not null) Console.WriteLine(_pendingPlainLine);
            _pendingPlainLine = null;
        }

        public void Dispose()
        {
            _ml.Log -= OnLog;
            if (_ticker is not null)
            {
                // Waits for a tick that is running, so nothing is written after Dispose returns.
                using var stopped = new ManualResetEvent(false);
                if (_ticker.Dispose(stopped)) stopped.WaitOne();
            }
            EndLine();
        }

        private string Loss(double value) => value.ToString(_lossFormat, CultureInfo.InvariantCulture).PadLeft(_lossFormat == "F2" ? 7 : 6);

        /// <summary>"1:23" elapsed, or "1:23/5:00" of the time budget.</summary>
        private string Clock() => Minutes(_clock.Elapsed) + (_timeBudget is TimeSpan budget ? "/" + Minutes(budget) : "");

        private static string Minutes(TimeSpan t) => $"{(int)t.TotalMinutes}:{t.Seconds:00}";

        private static string Throughput(double perSecond) => perSecond >= 10_000 ? $"{perSecond / 1000:F0}k" : perSecond >= 1000 ? $"{perSecond / 1000:F1}k" : $"{perSecond:F0}";

        /// <summary>Parses a number the log wrote with the invariant culture; a group that did not match gives NaN and true.</summary>
        private static bool TryParse(Group group, out double value)
        {
            value = double.NaN;
            return !group.Success || double.TryParse(group.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        private static int SafeWindowWidth()
        {
            try { return Console.WindowWidth > 0 ? Console.WindowWidth : 80; }
            catch (System.IO.IOException) { return 80; }
        }
    }
}
