using LiveBoard.Core.Campaigns;

namespace LiveBoard.Core.Figures;

/// <summary>Why a value is refused. Keys name resource strings so the message reaches the user in their language.</summary>
public sealed record FigureError(string Key, params object[] Args);

/// <summary>What a value must be for its indicator's unit. Pure so that every entry path (page, API, import) shares it.</summary>
public static class FigureRules
{
    // Far above any real city figure, far below decimal's limits: rejects typos of a dozen extra zeros.
    public const decimal AbsoluteMax = 1_000_000_000m;

    public static FigureError? Validate(Indicator indicator, decimal value)
    {
        if (indicator.Unit == IndicatorUnit.Grade)
            return new FigureError("Figure_NotReportable");
        if (Math.Abs(value) > AbsoluteMax)
            return new FigureError("Figure_TooLarge", AbsoluteMax);
        switch (indicator.Unit)
        {
            case IndicatorUnit.Count:
                if (value < 0) return new FigureError("Figure_Negative");
                if (value != decimal.Truncate(value)) return new FigureError("Figure_WholeNumber");
                break;
            case IndicatorUnit.HundredMillionYuan:
                if (value < 0) return new FigureError("Figure_Negative");
                break;
        }
        if (DecimalPlaces(value) > indicator.Decimals && indicator.Unit != IndicatorUnit.Count)
            return new FigureError("Figure_TooManyDecimals", indicator.Decimals);
        return null;
    }

    public const int ReasonMaxLength = 500;

    /// <summary>
    /// A reason is plain text a person reads in the history and in exported spreadsheets: bounded, one paragraph,
    /// and without markup (angle brackets) or control characters, which no honest correction note needs.
    /// </summary>
    public static FigureError? ValidateReason(string? reason)
    {
        if (reason is null) return null;
        if (reason.Length > ReasonMaxLength) return new FigureError("Reason_TooLong", ReasonMaxLength);
        if (reason.Any(c => c is '<' or '>' || (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))))
            return new FigureError("Reason_Invalid");
        return null;
    }

    /// <summary>
    /// A value that changes a figure already reported needs a reason: whoever reads the history must learn why. The
    /// first value of a figure, the same value sent again and seeded starting values need none.
    /// </summary>
    public static FigureError? ValidateChange(decimal? current, decimal value, string? reason, string channel) =>
        current is { } was && was != value && string.IsNullOrWhiteSpace(reason) && channel != Channels.Seed
            ? new FigureError(ReasonRequired)
            : null;

    public const string ReasonRequired = "Figure_ReasonRequired";

    /// <summary>Whether an error is about the reason (shown beside the reason field) rather than the value.</summary>
    public static bool IsReasonError(FigureError error) => error.Key.StartsWith("Reason_", StringComparison.Ordinal) || error.Key == ReasonRequired;

    /// <summary>Whether a valid value still needs the reporter's explicit confirmation.</summary>
    public static bool IsImplausible(Indicator indicator, decimal value) =>
        (indicator.PlausibleMin is { } min && value < min) || (indicator.PlausibleMax is { } max && value > max);

    private static int DecimalPlaces(decimal value)
    {
        value = value / 1.000000000000000000000000000000000m; // strips trailing zeros
        return (decimal.GetBits(value)[3] >> 16) & 0xFF;
    }
}
