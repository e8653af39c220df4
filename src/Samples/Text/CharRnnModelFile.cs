using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Generative;
using Samples.Cli;

namespace Samples.Text
{
    /// <summary>Loads a char-RNN saved with <c>mlContext.Model.Save</c>, with a clear error for anything else.</summary>
    internal static class CharRnnModelFile
    {
        /// <exception cref="DataException">The file is missing, not an ML.NET model, or a model of another kind.</exception>
        public static CharRnnTransformer Load(MLContext ml, string path)
        {
            if (!File.Exists(path))
                throw new DataException($"model not found: {path} (the 'text' command saves one in its output folder).");
            ITransformer loaded;
            try
            {
                loaded = ml.Model.Load(path, out _);
            }
            catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException or NotSupportedException
                                          or ArgumentException or IOException or UnauthorizedAccessException)
            {
                // ML.NET reports a file that is not a model zip, or holds components it cannot load, in several ways.
                throw new DataException($"{path} is not a model ML.NET can load: {e.Message}", e);
            }

            if (loaded is CharRnnTransformer model)
            {
                if (model.ConditionColumnName is not null)
                {
                    model.Dispose();
                    throw new DataException($"{path} is a char-RNN conditioned on column '{model.ConditionColumnName}': scoring plain lines needs a model trained without a condition (as 'text' trains).");
                }
                return model;
            }
            // A pipeline (TransformerChain) is a sequence of transformers: name them.
            string kind = loaded is IEnumerable<ITransformer> steps
                ? $"a pipeline ({string.Join(" -> ", steps.Select(t => t.GetType().Name))})"
                : $"a {loaded.GetType().Name}";
            (loaded as IDisposable)?.Dispose();
            throw new DataException($"{path} holds {kind}, not a char-RNN language model; train one with the 'text' command.");
        }
    }
}
