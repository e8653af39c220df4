namespace Microsoft.ML.Generative
{
    /// <summary>How training treats the rows of the text column.</summary>
    public enum CharRnnContextMode
    {
        /// <summary>
        /// Each row is an independent sequence: it starts from the initial state and ends with an end-of-row symbol.
        /// Right for log lines, names, comments, short documents.
        /// </summary>
        Rows,
        /// <summary>
        /// The rows are consecutive lines of one long text (a book, a corpus): training reads them as one stream, the
        /// end-of-row symbol standing for the line break, with the hidden state carried across rows (truncated BPTT).
        /// Right for corpora such as tiny-shakespeare. The validation rows are the last ones (the end of the text).
        /// A measured recipe for a corpus of about a million characters on a CPU time budget (docs/BENCHMARKS.md, section 6):
        /// <see cref="CharRnnCellType.Gru"/>, 2 x 384, <c>BatchSize = 32</c>, <c>WeightDecay = 0.3</c> (the default <c>Dropout = 0.1</c>), with <c>MaxTrainingTime</c>.
        /// </summary>
        Stream,
    }
}
