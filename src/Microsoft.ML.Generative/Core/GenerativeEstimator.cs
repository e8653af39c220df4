using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.MLNetInternals;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// What every estimator of this library does: checks its options when created and its input columns before any data is
    /// read, declares its output columns, and trains in <see cref="Fit"/> (progress and validation loss per epoch on the
    /// context's log, <c>MLContext.Log</c>; cancellation through <c>mlContext.CancelExecution()</c>, which stops training
    /// with an <see cref="OperationCanceledException"/> and no model). A seeded Fit gives the same model on the CPU, also
    /// when several Fit calls run on different threads (they run one after the other: see the README).
    /// </summary>
    /// <typeparam name="TTransformer">The trained model.</typeparam>
    public abstract class GenerativeEstimator<TTransformer> : IEstimator<TTransformer> where TTransformer : GenerativeTransformer
    {
        private readonly GenerativeModelOptions _options;
        private readonly string _trainingTitle;
        private readonly IReadOnlyList<OutputColumn> _outputColumns;

        /// <summary>Only this library's model families derive from the shared estimator.</summary>
        /// <param name="env">The ML.NET environment.</param>
        /// <param name="options">The family's options; validated here.</param>
        /// <param name="trainingTitle">The name of Fit's channel in the log ("Training Real NVP").</param>
        /// <param name="outputColumns">The columns the trained model adds.</param>
        private protected GenerativeEstimator(IHostEnvironment env, GenerativeModelOptions options, string trainingTitle, IReadOnlyList<OutputColumn> outputColumns)
        {
            Host = (env ?? throw new ArgumentNullException(nameof(env))).Register(GetType().Name);
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _options.Validate();
            _trainingTitle = trainingTitle;
            _outputColumns = outputColumns;
        }

        /// <summary>The host this estimator was registered with.</summary>
        private protected IHost Host { get; }

        /// <summary>Checks the input schema shape and returns the output shape: the input plus the model's output columns.</summary>
        /// <exception cref="ArgumentOutOfRangeException">An input column is missing or has the wrong type.</exception>
        public SchemaShape GetOutputSchema(SchemaShape inputSchema)
        {
            if (inputSchema is null) throw new ArgumentNullException(nameof(inputSchema));
            CheckInputShape(inputSchema);
            return SchemaShapes.With(inputSchema, _outputColumns.Select(SchemaShapes.Of).ToArray());
        }

        /// <summary>Trains the model on <paramref name="input"/>.</summary>
        /// <exception cref="ArgumentOutOfRangeException">An input column is missing or has the wrong type or size.</exception>
        /// <exception cref="InvalidOperationException">The data cannot be trained on (too few rows, a bad value); the message names the column and row.</exception>
        /// <exception cref="OperationCanceledException">The context was cancelled with <c>mlContext.CancelExecution()</c>.</exception>
        public TTransformer Fit(IDataView input)
        {
            if (input is null) throw new ArgumentNullException(nameof(input));
            return FitContext.Run(Host, _options, _trainingTitle, context => FitCore(input, context));
        }

        /// <summary>Throws, naming the column, when an input column is missing or has the wrong type.</summary>
        private protected abstract void CheckInputShape(SchemaShape inputSchema);

        /// <summary>The family's training: read the data, build the network with <see cref="FitContext.Build"/>, train with <see cref="FitContext.Train"/>.</summary>
        private protected abstract TTransformer FitCore(IDataView input, FitContext context);
    }
}
