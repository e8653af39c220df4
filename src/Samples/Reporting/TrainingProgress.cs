using System;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using Spectre.Console;
using PlainText = Spectre.Console.Text;
using Spectre.Console.Rendering;

namespace Samples.Reporting
{
    /// <summary>
    /// Shows the training progress of the library's estimators (Real NVP for vectors and images, char-RNN), which they
    /// report as "Epoch n/N: training loss ..." messages on the MLContext log. On a terminal: a Spectre.Console progress
    /// bar with the epoch, the elapsed time and the losses. Otherwise (a file, a pipe, CI): a plain line every few epochs.
    /// </summary>
    internal sealed partial class TrainingProgress
    {
        /// <summary>The log sources (ML.NET host names) whose messages are shown.</summary>
        private static readonly string[] EstimatorSources = { "RealNvpEstimator", "RealNvpImageEstimator", "CharRnnEstimator" };
        /// <summary>Plain output: a line every this many epochs, ...</summary>
        private const int PlainEvery = 10;
        /// <summary>... or when this much time passed since the last one.</summary>
        private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(30);

        private readonly TimeSpan? _timeBudget;
        private readonly string _lossFormat;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly object _lock = new();
        /// <summary>The live bar, or null for plain output.</summary>
        private ProgressTask _task;
        private TimeSpan _lastPlainLine;
        private string _pendingPlainLine;
        private double _best = double.PositiveInfinity;
        private int _bestEpoch;

        private TrainingProgress(TimeSpan? timeBudget, int lossDecimals)
        {
            _timeBudget = timeBudget;
            _lossFormat = "F" + lossDecimals.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>Runs <paramref name="fit"/> while showing the progress of the training it logs to <paramref name="ml"/>.</summary>
        /// <param name="timeBudget">The estimator's training time budget, if any: the bar follows whichever is further
        /// along, the epochs or the budget, and the clock shows the budget.</param>
        /// <param name="lossDecimals">Decimals of the losses: 2 suits nats per row (Real NVP), 3 nats per character or bits per dimension.</param>
        public static T Run<T>(MLContext ml, Func<T> fit, TimeSpan? timeBudget = null, int lossDecimals = 2)
        {
            var progress = new TrainingProgress(timeBudget, lossDecimals);
            ml.Log += progress.OnLog;
            try
            {
                if (!Terminal.IsInteractive)
                {
                    var result = fit();
                    progress.FlushPendingPlainLine();
                    return result;
                }
                return AnsiConsole.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ClockColumn(timeBudget), new LossesColumn())
                    .Start(context =>
                    {
                        lock (progress._lock) progress._task = context.AddTask("training", maxValue: 1);
                        var result = fit();
                        progress._task.StopTask();
                        return result;
                    });
            }
            finally
            {
                ml.Log -= progress.OnLog;
            }
        }

        [GeneratedRegex(@"^Epoch (\d+)/(\d+): training loss ([^, ]+)(?:, validation loss ([^, ]+))?(?: \(best\))?(?:, ([0-9.]+) (\S+)/s)?")]
        private static partial Regex EpochMessage();

        private void OnLog(object sender, LoggingEventArgs e)
        {
            // The log carries every ML.NET component's messages, including verbose traces: keep the estimators' own.
            if (e.Kind == ChannelMessageKind.Trace || e.Source is null || Array.TrueForAll(EstimatorSources, s => !e.Source.StartsWith(s, StringComparison.Ordinal)))
                return;
            var match = EpochMessage().Match(e.RawMessage);
            lock (_lock)
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
            if (_task is not null)
            {
                double fraction = (double)epoch / maxEpochs;
                if (_timeBudget is TimeSpan budget) fraction = Math.Max(fraction, Math.Min(1, _clock.Elapsed / budget));
                _task.Description = epochs; // plain text: digits and '/' hold no Spectre markup
                _task.Tag = losses;
                _task.Value = fraction;
                return;
            }

            string line = $"  {epochs}: {losses}, {Clock(_clock.Elapsed, _timeBudget)}";
            if (epoch == 1 || epoch % PlainEvery == 0 || _clock.Elapsed - _lastPlainLine >= PlainInterval)
            {
                Console.WriteLine(line);
                _pendingPlainLine = null;
                _lastPlainLine = _clock.Elapsed;
            }
            else
                _pendingPlainLine = line; // printed if this turns out to be the last epoch
        }

        private void ShowMessage(string message)
        {
            if (_task is not null)
            {
                // Written through Spectre.Console, the message goes above the live bar instead of through it. Expanded to the
                // full width, its lines cover what the bar left on them (and wrapped lines keep the indent).
                AnsiConsole.Write(new Panel(new PlainText(message)) { Border = BoxBorder.None, Padding = new Padding(2, 0, 0, 0), Expand = true });
                return;
            }
            FlushPendingPlainLine();
            Console.WriteLine("  " + message);
        }

        private void FlushPendingPlainLine()
        {
            if (_pendingPlainLine is not null) Console.WriteLine(_pendingPlainLine);
            _pendingPlainLine = null;
        }

        private string Loss(double value) => value.ToString(_lossFormat, CultureInfo.InvariantCulture).PadLeft(_lossFormat == "F2" ? 7 : 6);

        /// <summary>"1:23" elapsed, or "1:23/5:00" of the time budget.</summary>
        private static string Clock(TimeSpan elapsed, TimeSpan? budget) => Minutes(elapsed) + (budget is TimeSpan b ? "/" + Minutes(b) : "");

        private static string Minutes(TimeSpan t) => $"{(int)t.TotalMinutes}:{t.Seconds:00}";

        private static string Throughput(double perSecond) => perSecond >= 10_000 ? $"{perSecond / 1000:F0}k" : perSecond >= 1000 ? $"{perSecond / 1000:F1}k" : $"{perSecond:F0}";

        /// <summary>Parses a number the log wrote with the invariant culture; a group that did not match gives NaN and true.</summary>
        private static bool TryParse(Group group, out double value)
        {
            value = double.NaN;
            return !group.Success || double.TryParse(group.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        /// <summary>The elapsed time, "1:23", or "1:23/5:00" of a time budget; redrawn with every refresh, so it ticks between epochs.</summary>
        private sealed class ClockColumn(TimeSpan? budget) : ProgressColumn
        {
            public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
                => new PlainText(Clock(task.ElapsedTime ?? TimeSpan.Zero, budget));
        }

        /// <summary>The latest epoch's losses, kept in the task's Tag.</summary>
        private sealed class LossesColumn : ProgressColumn
        {
            public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
                => new PlainText(task.Tag as string ?? "");
        }
    }
}
