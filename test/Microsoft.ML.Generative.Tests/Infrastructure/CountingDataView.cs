namespace Microsoft.ML.Generative.Tests.Infrastructure;

/// <summary>Wraps an IDataView and counts the cursors opened on it (laziness and batching checks).</summary>
public sealed class CountingDataView : IDataView
{
    private readonly IDataView _inner;
    private int _cursors;
    public CountingDataView(IDataView inner) => _inner = inner;
    public int CursorsOpened => _cursors;
    public bool CanShuffle => _inner.CanShuffle;
    public DataViewSchema Schema => _inner.Schema;
    public long? GetRowCount() => _inner.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random rand = null)
    {
        Interlocked.Increment(ref _cursors);
        return _inner.GetRowCursor(columnsNeeded, rand);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random rand = null)
    {
        Interlocked.Increment(ref _cursors);
        return _inner.GetRowCursorSet(columnsNeeded, n, rand);
    }
}
