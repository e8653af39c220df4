using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Samples.Cli;

namespace Samples.Text
{
    /// <summary>
    /// The lines of a UTF-8 text file (one row per line), with their 1-based line numbers. Decoding is strict, so a
    /// binary file or one in another encoding is an error that names the line instead of a model trained on garbage.
    /// </summary>
    internal sealed class TextFile
    {
        private TextFile(string path, IReadOnlyList<string> lines, IReadOnlyList<int> lineNumbers, int skippedBlankLines)
        {
            Path = path;
            Lines = lines;
            LineNumbers = lineNumbers;
            SkippedBlankLines = skippedBlankLines;
        }

        public string Path { get; }

        /// <summary>The lines kept, without their line breaks.</summary>
        public IReadOnlyList<string> Lines { get; }

        /// <summary>The line number in the file of each entry of <see cref="Lines"/>.</summary>
        public IReadOnlyList<int> LineNumbers { get; }

        /// <summary>Lines left out because they were empty or white space only (when reading with skipBlankLines).</summary>
        public int SkippedBlankLines { get; }

        /// <summary>Number of characters (Unicode scalar values) of all kept lines, without line breaks.</summary>
        public long CharacterCount => Lines.Sum(line => (long)line.EnumerateRunes().Count());

        /// <summary>Reads a text file. A UTF-8 byte order mark is skipped; "\n", "\r\n" and "\r" all end a line.</summary>
        /// <param name="path">The file.</param>
        /// <param name="skipBlankLines">Leave out empty and white-space-only lines (independent rows such as log lines); keep them for running text.</param>
        /// <exception cref="DataException">The file is missing, unreadable, not UTF-8 text, or has no text.</exception>
        public static TextFile Read(string path, bool skipBlankLines)
        {
            if (!File.Exists(path)) throw new DataException($"file not found: {path}");
            var lines = new List<string>();
            var numbers = new List<int>();
            int lineNumber = 0, skipped = 0;
            try
            {
                using var reader = new StreamReader(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
                for (string line; (line = reader.ReadLine()) is not null;)
                {
                    lineNumber++;
                    if (line.Contains('\0'))
                        throw new DataException($"{path} looks like a binary file (line {lineNumber} has a NUL character); expected UTF-8 text, one row per line.");
                    if (skipBlankLines && string.IsNullOrWhiteSpace(line))
                    {
                        skipped++;
                        continue;
                    }
                    lines.Add(line);
                    numbers.Add(lineNumber);
                }
            }
            catch (DecoderFallbackException)
            {
                throw new DataException($"{path} is not UTF-8 text: line {lineNumber + 1} has an invalid byte sequence. Convert it first (e.g. iconv -t UTF-8).");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DataException($"cannot read {path}: {e.Message}", e);
            }

            if (lineNumber == 0) throw new DataException($"{path} is empty; expected UTF-8 text, one row per line.");
            if (lines.All(string.IsNullOrWhiteSpace))
                throw new DataException($"{path} has no text: its {lineNumber} line(s) are all blank.");
            return new TextFile(path, lines, numbers, skipped);
        }
    }
}
