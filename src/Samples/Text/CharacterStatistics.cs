using System;
using System.Collections.Generic;
using System.Linq;

namespace Samples.Text
{
    /// <summary>
    /// Reference points for a language model's loss: the bits per character of a model that knows only how often each
    /// character occurs (no context at all), and of one that guesses uniformly among the distinct characters.
    /// Both count the end of each line as one more symbol, as the char-RNN's loss does.
    /// </summary>
    internal sealed class CharacterStatistics
    {
        private CharacterStatistics(int distinctCharacters, double frequencyBits, double uniformBits)
        {
            DistinctCharacters = distinctCharacters;
            FrequencyBitsPerCharacter = frequencyBits;
            UniformBitsPerCharacter = uniformBits;
        }

        /// <summary>Distinct characters (Unicode scalar values) of the text, without the end of line.</summary>
        public int DistinctCharacters { get; }

        /// <summary>Entropy of the character frequencies, in bits: what a context-free model needs per character.
        /// Measured on the text it is computed from, so slightly optimistic for unseen text.</summary>
        public double FrequencyBitsPerCharacter { get; }

        /// <summary>log2(distinct characters + 1): a uniform guess among the characters and the end of line.</summary>
        public double UniformBitsPerCharacter { get; }

        public static CharacterStatistics Of(IEnumerable<string> lines)
        {
            var counts = new Dictionary<int, long>();
            long endsOfLine = 0;
            foreach (var line in lines)
            {
                endsOfLine++;
                foreach (var rune in line.EnumerateRunes())
                    counts[rune.Value] = counts.GetValueOrDefault(rune.Value) + 1;
            }
            double total = counts.Values.Sum() + endsOfLine;
            double entropy = counts.Values.Append(endsOfLine).Where(n => n > 0).Sum(n => -(n / total) * Math.Log2(n / total));
            return new CharacterStatistics(counts.Count, entropy, Math.Log2(counts.Count + 1));
        }
    }
}
