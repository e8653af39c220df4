using System;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>
    /// Pixel values of the image models: integer levels 0 .. inputLevels - 1 in the input column, optionally reduced to
    /// modelLevels = 2^bits levels for the model, and mapped back for samples.
    /// </summary>
    internal readonly struct PixelLevels
    {
        public PixelLevels(int inputLevels, int modelLevels)
        {
            InputLevels = inputLevels;
            ModelLevels = modelLevels;
        }

        public int InputLevels { get; }
        public int ModelLevels { get; }
        public bool Reduced => ModelLevels != InputLevels;

        /// <summary>
        /// Checks that every value is an integer in [0, InputLevels) and converts it in place to the model's levels.
        /// The message names the column, the row and the slot.
        /// </summary>
        public void CheckAndConvert(Span<float> values, string column, long row)
        {
            for (int i = 0; i < values.Length; i++)
            {
                float v = values[i];
                if (!(v >= 0 && v <= InputLevels - 1) || v != MathF.Floor(v))
                    throw new InvalidOperationException(
                        $"Column '{column}', row {row}, slot {i}: pixel value {v}; expected an integer level from 0 to {InputLevels - 1} " +
                        $"(PixelLevels = {InputLevels}). Pixels extracted by ml.Transforms.ExtractPixels must not be scaled or offset.");
                if (Reduced)
                    values[i] = (float)Math.Floor((double)v * ModelLevels / InputLevels);
            }
        }

        /// <summary>The input-scale pixel value of a continuous model value in [0, ModelLevels): its level, mapped back to the middle of that level's input range.</summary>
        public float ToInput(float modelValue)
        {
            double level = Math.Clamp(Math.Floor(modelValue), 0, ModelLevels - 1);
            if (!Reduced) return (float)level;
            // Input levels l with floor(l * M / I) == level form [ceil(level * I / M), ceil((level + 1) * I / M) - 1].
            double first = Math.Ceiling(level * InputLevels / ModelLevels), last = Math.Ceiling((level + 1) * InputLevels / ModelLevels) - 1;
            return (float)Math.Floor((first + last) / 2);
        }
    }
}
