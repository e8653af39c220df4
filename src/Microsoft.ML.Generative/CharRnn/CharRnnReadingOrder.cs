namespace Microsoft.ML.Generative
{
    /// <summary>
    /// The order in which the language model reads a row. Both orders give an exact probability of the same row, by the
    /// chain rule in one direction or the other; they differ in where a model's surprise lands.
    /// </summary>
    public enum CharRnnReadingOrder
    {
        /// <summary>
        /// First character to last: p(x) = prod_k p(x_k | x_1..x_(k-1)), then the end-of-row symbol. The usual choice,
        /// and the one for text generation that continues a prompt.
        /// </summary>
        FirstToLast,
        /// <summary>
        /// Last character to first: p(x) = prod_k p(x_k | x_(k+1)..x_n), then the start-of-row symbol (the same boundary
        /// symbol). For anomaly scoring of rows whose distinctive part comes last, such as log lines (a timestamp and node
        /// header, then the message): an unusual message is read first, and the model stays surprised by the header that
        /// follows it. On the BGL log benchmark it raised the ROC-AUC of <c>Score</c> (docs/BENCHMARKS.md, section 4).
        /// <c>Generate</c> then writes the text that comes before the prompt, and <c>NextCharacterProbabilities</c> gives
        /// the character before the given text. Rows mode only.
        /// </summary>
        LastToFirst,
    }
}
