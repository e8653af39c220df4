using System;

namespace Samples.Cli
{
    /// <summary>The command line is wrong. Program prints the message (no stack trace) and exits with <see cref="ExitCodes.UsageError"/>.</summary>
    internal sealed class UsageException : Exception
    {
        public UsageException(string message) : base(message) { }
    }
}
