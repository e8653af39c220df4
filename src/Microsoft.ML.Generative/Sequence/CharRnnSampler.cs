using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Sequence
{
    /// <summary>Draws text from a <see cref="CharRnnNetwork"/> one character at a time (ancestral sampling).</summary>
    internal static class CharRnnSampler
    {
        /// <param name="network">The forward model, in eval mode.</param>
        /// <param name="vocabulary">Its vocabulary.</param>
        /// <param name="prompt">Ids the text starts with (read after the boundary symbol).</param>
        /// <param name="condition">[1, ConditionSize] in Condition mode, else null.</param>
        /// <param name="maxLength">Maximum number of characters to add after the prompt.</param>
        /// <param name="temperature">Divides the logits; 0 picks the most likely character.</param>
        /// <param name="topK">Sample only among the k most likely characters; null or 0 for all.</param>
        /// <param name="stopAtBoundary">Stop at the end-of-row symbol (Rows mode); otherwise it is written as a line break.</param>
        /// <param name="generator">Random source of the draws.</param>
        public static string Generate(CharRnnNetwork network, CharVocabulary vocabulary, IReadOnlyList<int> prompt, Tensor condition,
            int maxLength, float temperature, int? topK, bool stopAtBoundary, Generator generator)
        {
            var text = new StringBuilder();
            var device = network.parameters().First().device;
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var state = network.InitialState(1, condition);
            var first = new long[prompt.Count + 1];
            first[0] = CharVocabulary.BoundaryId;
            for (int i = 0; i < prompt.Count; i++) first[i + 1] = prompt[i];
            var (logits, _, next) = network.Run(tensor(first, new long[] { 1, first.Length }).to(device), state);
            state = next;
            var last = logits[0, -1].cpu();
            // The unknown symbol stands for "some character not in the vocabulary": it has no text to write.
            var mask = zeros(vocabulary.Size);
            mask[CharVocabulary.UnknownId] = float.NegativeInfinity;
            for (int k = 0; k < maxLength; k++)
            {
                using var step = NewDisposeScope();
                int id = Draw(last + mask, temperature, topK, generator);
                if (id == CharVocabulary.BoundaryId && stopAtBoundary) break;
                text.Append(vocabulary.Text(id));
                var (l, _, s) = network.Run(tensor(new long[] { id }, new long[] { 1, 1 }).to(device), state);
                last = l[0, -1].cpu().MoveToOuterDisposeScope();
                state = new RecurrentState(s.Hidden.MoveToOuterDisposeScope(), s.Cell?.MoveToOuterDisposeScope());
            }
            return text.ToString();
        }

        private static int Draw(Tensor logits, float temperature, int? topK, Generator generator)
        {
            if (temperature <= 0) return (int)logits.argmax().item<long>();
            var scaled = logits / temperature;
            if (topK is int k && k > 0 && k < scaled.shape[0])
            {
                var kth = scaled.topk(k).values[-1];
                scaled = scaled.masked_fill(scaled.lt(kth), float.NegativeInfinity);
            }
            var probabilities = nn.functional.softmax(scaled.to(float64), 0);
            return (int)multinomial(probabilities, 1, generator: generator).item<long>();
        }
    }
}
