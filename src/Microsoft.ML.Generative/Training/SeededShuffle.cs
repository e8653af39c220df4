using System;

namespace Microsoft.ML.Generative.Training
{
    /// <summary>Fisher-Yates shuffle from a seeded <see cref="Random"/>: the same seed gives the same order on every run.</summary>
    internal static class SeededShuffle
    {
        public static void Shuffle<T>(T[] values, Random random)
        {
            for (int i = values.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (values[i], values[j]) = (values[j], values[i]);
            }
        }
    }
}
