namespace Microsoft.ML.Generative
{
    /// <summary>The recurrent cell of a char-RNN language model.</summary>
    public enum CharRnnCellType
    {
        /// <summary>Long short-term memory (Hochreiter and Schmidhuber, 1997): the most robust choice for long contexts.</summary>
        Lstm,
        /// <summary>Gated recurrent unit (Cho et al., 2014): fewer parameters than LSTM, often as good.</summary>
        Gru,
        /// <summary>Elman RNN with tanh: h_k = tanh(W x_k + U h_(k-1) + b). Simple; forgets quickly.</summary>
        Vanilla,
    }
}
