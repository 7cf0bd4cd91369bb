using System.Text.Json;
using System.Text.Json.Serialization;
using LiveBoard.Web.Standings;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace LiveBoard.Web.Features.Hub;

/// <summary>
/// The "Snapshot" every hub client is sent on connect, with its ranking and totals serialised once per standings
/// snapshot instead of once per connection: when 10,000 clients reconnect after a restart they all get the same ones,
/// and serialising them for each was most of what a reconnection cost beyond a bare hub (BENCHMARKS.md, reconnect
/// storm). Only the campaign's names and the times are written per connection. On the wire it is a
/// <see cref="LiveSnapshot"/>, to the byte (the hub protocol's own serializer options write both).
/// </summary>
public sealed class SnapshotFrames(IOptions<JsonHubProtocolOptions> protocol)
{
    private sealed record Serialised(StandingsSnapshot Source, byte[] Ranking, byte[] Totals);

    private Serialised? _last;

    private JsonSerializerOptions Options => protocol.Value.PayloadSerializerOptions;

    /// <summary>The Snapshot of <paramref name="standings"/> as sent at <paramref name="at"/>.</summary>
    public SnapshotFrame For(StandingsSnapshot standings, DateTimeOffset at)
    {
        // The standings room hands every reader the same snapshot object until something changes: it is the version.
        var last = Volatile.Read(ref _last);
        if (last is null || !ReferenceEquals(last.Source, standings))
        {
            last = new Serialised(standings,
                JsonSerializer.SerializeToUtf8Bytes(LivePayloads.Ranking(standings.City), Options),
                JsonSerializer.SerializeToUtf8Bytes(LivePayloads.Totals(standings.City), Options));
            Volatile.Write(ref _last, last);
        }
        return new SnapshotFrame(standings.Campaign.Code, standings.Campaign.Name, at, standings.LastChange, last.Ranking, last.Totals);
    }
}

/// <summary>A <see cref="LiveSnapshot"/> whose ranking and totals are already JSON (see <see cref="SnapshotFrames"/>).</summary>
[JsonConverter(typeof(Converter))]
public sealed class SnapshotFrame(string campaignCode, string campaignName, DateTimeOffset at, DateTimeOffset? lastChange,
    byte[] ranking, byte[] totals)
{
    public string CampaignCode => campaignCode;
    public string CampaignName => campaignName;
    public DateTimeOffset At => at;
    public DateTimeOffset? LastChange => lastChange;
    internal byte[] RankingJson => ranking;
    internal byte[] TotalsJson => totals;

    private sealed class Converter : JsonConverter<SnapshotFrame>
    {
        public override SnapshotFrame Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("A Snapshot frame is only ever sent; clients read it as a LiveSnapshot.");

        public override void Write(Utf8JsonWriter writer, SnapshotFrame value, JsonSerializerOptions options)
        {
            string Name(string property) => options.PropertyNamingPolicy?.ConvertName(property) ?? property;
            writer.WriteStartObject();
            writer.WritePropertyName(Name(nameof(LiveSnapshot.CampaignCode)));
            JsonSerializer.Serialize(writer, value.CampaignCode, options);
            writer.WritePropertyName(Name(nameof(LiveSnapshot.CampaignName)));
            JsonSerializer.Serialize(writer, value.CampaignName, options);
            writer.WritePropertyName(Name(nameof(LiveSnapshot.At)));
            JsonSerializer.Serialize(writer, value.At, options);
            writer.WritePropertyName(Name(nameof(LiveSnapshot.LastChange)));
            JsonSerializer.Serialize(writer, value.LastChange, options);
            writer.WritePropertyName(Name(nameof(LiveSnapshot.Ranking)));
            writer.WriteRawValue(value.RankingJson, skipInputValidation: true);
            writer.WritePropertyName(Name(nameof(LiveSnapshot.Totals)));
            writer.WriteRawValue(value.TotalsJson, skipInputValidation: true);
            writer.WriteEndObject();
        }
    }
}
