using System;

namespace Samples.Cli
{
    /// <summary>An input file or its contents cannot be used. Program prints the message (no stack trace) and exits with <see cref="ExitCodes.DataError"/>.</summary>
    internal sealed class DataException : Exception
    {
        public DataException(string message, Exception inner = null) : base(message, inner) { }
    }
}
