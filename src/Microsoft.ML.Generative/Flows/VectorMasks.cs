namespace Microsoft.ML.Generative.Flows
{
    /// <summary>
    /// Binary masks for vector couplings. Consecutive couplings alternate a pattern and its complement, so every
    /// feature is transformed; the pattern alternates between parity (even/odd indices) and halves (first/second
    /// half), so every feature is, over the flow, conditioned on features from both halves.
    /// </summary>
    internal static class VectorMasks
    {
        /// <summary>The mask of the coupling at <paramref name="layerIndex"/> in a flow over <paramref name="features"/> features.</summary>
        public static float[] ForLayer(int layerIndex, int features)
        {
            var mask = new float[features];
            bool complement = layerIndex % 2 == 1;
            bool halves = (layerIndex / 2) % 2 == 1 && features > 2; // with 2 features both patterns coincide
            for (int i = 0; i < features; i++)
            {
                bool passed = halves ? i < features / 2 : i % 2 == 0;
                mask[i] = passed != complement ? 1f : 0f;
            }
            return mask;
        }
    }
}
