namespace Microsoft.ML.Generative
{
    /// <summary>The recurrent cell of a char-RNN language model.</summary>
    public enum CharRnnCellType
    {
        /// <summary>Long short-term memory (Hochreiter and Schmidhuber, 1997): the most robust choice for long contexts.</summary>
        Lstm,
        /// <summary>
        /// Gated recurrent unit (Cho et al., 2014): fewer parameters than LSTM, often as good. On tiny-shakespeare with a
        /// CPU time budget it trained about 10% more characters per second than an LSTM of the same size and reached a lower
        /// validation loss (docs/BENCHMARKS.md, section 6).
        /// </summary>
        Gru,
        /// <summary>Elman RNN with tanh: h_k = tanh(W x_k + U h_(k-1) + b). Simple; forgets quickly.</summary>
        Vanilla,
    }
}
