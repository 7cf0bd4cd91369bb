namespace LiveBoard.Core.Figures;

/// <summary>District × indicator values by code. A missing cell means "not reported", never zero.</summary>
public sealed class FigureTable
{
    private readonly Dictionary<(string District, string Indicator), decimal> _values = new();

    public decimal? Get(string district, string indicator) =>
        _values.TryGetValue((district, indicator), out var v) ? v : null;

    public FigureTable Set(string district, string indicator, decimal value)
    {
        _values[(district, indicator)] = value;
        return this;
    }

    public int Count => _values.Count;

    /// <summary>A table of its own with the same cells, to add to without changing this one.</summary>
    public FigureTable Copy()
    {
        var copy = new FigureTable();
        foreach (var (key, value) in _values) copy._values[key] = value;
        return copy;
    }
}
