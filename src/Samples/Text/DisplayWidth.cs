using System.Globalization;
using System.Text;

namespace Samples.Text
{
    /// <summary>
    /// How many terminal columns a character takes: 0 for combining marks and format characters, 2 for East Asian wide
    /// and fullwidth characters and most emoji, 1 otherwise. An approximation of Unicode's East Asian Width property,
    /// good enough to keep markers under the characters they belong to.
    /// </summary>
    internal static class DisplayWidth
    {
        private static readonly (int first, int last)[] WideRanges =
        {
            (0x1100, 0x115F), (0x2E80, 0x303E), (0x3041, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA000, 0xA4CF),
            (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFF60), (0xFFE0, 0xFFE6),
            (0x1F300, 0x1F64F), (0x1F900, 0x1F9FF), (0x20000, 0x3FFFD),
        };

        public static int Of(Rune character)
        {
            var category = Rune.GetUnicodeCategory(character);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
                return 0;
            foreach (var (first, last) in WideRanges)
                if (character.Value >= first && character.Value <= last) return 2;
            return 1;
        }
    }
}
