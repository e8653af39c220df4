namespace Microsoft.ML.Generative
{
    /// <summary>Where a row's initial hidden state h0 comes from.</summary>
    public enum CharRnnInitialState
    {
        /// <summary>h0 = 0 (and c0 = 0 for LSTM).</summary>
        Zeros,
        /// <summary>h0 is a trained parameter shared by all rows.</summary>
        Learned,
        /// <summary>
        /// h0 = tanh(W v + b), computed from the row's conditioning vector v (<see cref="CharRnnOptions.ConditionColumnName"/>),
        /// as in image captioning: the text is modelled given the vector.
        /// </summary>
        Condition,
    }
}
