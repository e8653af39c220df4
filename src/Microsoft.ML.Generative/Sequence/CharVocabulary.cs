using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Microsoft.ML.Generative.Sequence
{
    /// <summary>
    /// The characters a char-RNN knows, as token ids. A "character" is a Unicode scalar value (a <see cref="Rune"/>), so
    /// an emoji or a CJK character outside the basic plane is one character, not two UTF-16 halves.
    /// Id 0 is the row boundary (read before a row's first character and predicted after its last), id 1 the unknown
    /// character (characters not seen in training, or beyond the size cap), then the known characters by code point.
    /// </summary>
    internal sealed class CharVocabulary
    {
        public const int BoundaryId = 0;
        public const int UnknownId = 1;
        private const int FirstCharacterId = 2;

        private readonly int[] _codePoints;              // id - 2 -> code point
        private readonly Dictionary<int, int> _ids;      // code point -> id

        public CharVocabulary(IEnumerable<int> codePoints)
        {
            _codePoints = codePoints.Distinct().OrderBy(c => c).ToArray();
            foreach (int c in _codePoints)
                if (!Rune.IsValid(c)) throw new InvalidDataException($"Code point {c} is not a Unicode scalar value.");
            _ids = new Dictionary<int, int>(_codePoints.Length);
            for (int i = 0; i < _codePoints.Length; i++) _ids[_codePoints[i]] = FirstCharacterId + i;
        }

        /// <summary>Number of ids, including the boundary and unknown symbols.</summary>
        public int Size => FirstCharacterId + _codePoints.Length;

        /// <summary>The known characters' code points, in id order.</summary>
        public IReadOnlyList<int> CodePoints => _codePoints;

        /// <summary>
        /// The <paramref name="maxSize"/> most frequent characters of <paramref name="counts"/> (ties broken by code point,
        /// so the result does not depend on the order rows were read in).
        /// </summary>
        public static CharVocabulary FromCounts(IReadOnlyDictionary<int, long> counts, int maxSize)
            => new CharVocabulary(counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(maxSize).Select(p => p.Key));

        /// <summary>Adds the characters of <paramref name="text"/> to <paramref name="counts"/>.</summary>
        public static void Count(ReadOnlySpan<char> text, Dictionary<int, long> counts)
        {
            foreach (var rune in text.EnumerateRunes())
            {
                counts.TryGetValue(rune.Value, out long n);
                counts[rune.Value] = n + 1;
            }
        }

        /// <summary>The id of a character; <see cref="UnknownId"/> when it is not known.</summary>
        public int Id(Rune character) => _ids.TryGetValue(character.Value, out int id) ? id : UnknownId;

        /// <summary>
        /// Appends the ids of <paramref name="text"/> to <paramref name="ids"/> and returns how many were unknown. Invalid
        /// UTF-16 (a lone surrogate) reads as U+FFFD, like .NET's own decoders.
        /// </summary>
        public int Encode(ReadOnlySpan<char> text, List<int> ids)
        {
            int unknown = 0;
            foreach (var rune in text.EnumerateRunes())
            {
                int id = Id(rune);
                if (id == UnknownId) unknown++;
                ids.Add(id);
            }
            return unknown;
        }

        /// <summary>The text of an id: the character, "\n" for the boundary, U+FFFD for the unknown symbol.</summary>
        public string Text(int id)
        {
            if (id == BoundaryId) return "\n";
            if (id == UnknownId) return "\uFFFD";
            if (id < FirstCharacterId || id >= Size) throw new ArgumentOutOfRangeException(nameof(id), id, $"Expected an id below {Size}.");
            return new Rune(_codePoints[id - FirstCharacterId]).ToString();
        }

        /// <summary>True for ids that stand for a real character.</summary>
        public bool IsCharacter(int id) => id >= FirstCharacterId && id < Size;
    }
}
