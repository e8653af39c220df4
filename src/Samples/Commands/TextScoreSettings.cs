using System.IO;

namespace Samples.Commands
{
    /// <summary>The options of the "text-score" command, checked (see <see cref="TextScoreOptions"/>).</summary>
    internal sealed class TextScoreSettings
    {
        public const int DefaultTop = 10;
        public static readonly string DefaultModel = Path.Combine(TextSettings.DefaultOutput, TextSettings.ModelFileName);

        public string ModelPath { get; init; }
        public string FilePath { get; init; }
        public int Top { get; init; }
        /// <summary>0: libtorch's default (one thread per core).</summary>
        public int Threads { get; init; }
        /// <summary>Plain-text markers instead of colours, even on a terminal.</summary>
        public bool NoColor { get; init; }
    }
}
