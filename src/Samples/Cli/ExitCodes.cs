namespace Samples.Cli
{
    /// <summary>Process exit codes, so scripts can tell a typo in the command line from a bad input file.</summary>
    internal static class ExitCodes
    {
        public const int Success = 0;
        /// <summary>A file is missing or unreadable, or its data cannot be used (no such column, missing values, ...).</summary>
        public const int DataError = 1;
        /// <summary>The command line itself is wrong: unknown command or option, bad number, ...</summary>
        public const int UsageError = 2;
    }
}
