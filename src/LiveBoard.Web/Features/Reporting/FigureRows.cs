using System.Data.Common;
using System.Globalization;
using LiveBoard.Core.Figures;
using LiveBoard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LiveBoard.Web.Features.Reporting;

/// <summary>
/// Writes a batch's figure rows, revisions and idempotency records with four statements prepared once per batch, on
/// the batch's own connection and inside its transaction. Through SaveChanges, change tracking, SQL generation and
/// preparing every statement anew take most of the writer's time, and every report waits for that one writer
/// (bench/notes/2026-11-29-write-path.md). Table and column names and value conversions (times as integers) come from
/// the EF model, so the rows are stored exactly as SaveChanges stores them. Inserts and version-checked updates only:
/// history stays append-only. Plain ADO.NET, so the same statements run on SQLite and PostgreSQL; there the version
/// check in the UPDATE and the unique indexes decide between instances writing at once (see <see cref="WriteRace"/>).
/// </summary>
internal sealed class FigureRows : IDisposable
{
    private readonly Statement _insertFigure, _updateFigure, _insertRevision, _insertKey;

    public FigureRows(LiveBoardDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        var tx = (db.Database.CurrentTransaction ?? throw new InvalidOperationException("FigureRows writes inside a transaction")).GetDbTransaction();
        var figure = db.Model.FindEntityType(typeof(Figure))!;
        _insertFigure = Statement.Insert(connection, tx, figure,
            [nameof(Figure.CampaignId), nameof(Figure.DistrictId), nameof(Figure.IndicatorId), nameof(Figure.Value), nameof(Figure.Version),
             nameof(Figure.UpdatedAt), nameof(Figure.UpdatedBy)], returning: nameof(Figure.Id));
        _updateFigure = Statement.Update(connection, tx, figure,
            [nameof(Figure.Value), nameof(Figure.Version), nameof(Figure.UpdatedAt), nameof(Figure.UpdatedBy)],
            where: [nameof(Figure.Id), nameof(Figure.Version)]);
        _insertRevision = Statement.Insert(connection, tx, db.Model.FindEntityType(typeof(FigureRevision))!,
            [nameof(FigureRevision.FigureId), nameof(FigureRevision.CampaignId), nameof(FigureRevision.DistrictId), nameof(FigureRevision.IndicatorId),
             nameof(FigureRevision.OldValue), nameof(FigureRevision.NewValue), nameof(FigureRevision.Version), nameof(FigureRevision.ChangedAt),
             nameof(FigureRevision.ChangedBy), nameof(FigureRevision.Reason), nameof(FigureRevision.Channel), nameof(FigureRevision.RequestId),
             nameof(FigureRevision.Implausible), nameof(FigureRevision.ClientAddress)]);
        _insertKey = Statement.Insert(connection, tx, db.Model.FindEntityType(typeof(IdempotencyRecord))!,
            [nameof(IdempotencyRecord.UserName), nameof(IdempotencyRecord.Scope), nameof(IdempotencyRecord.Key), nameof(IdempotencyRecord.RequestHash),
             nameof(IdempotencyRecord.Response), nameof(IdempotencyRecord.CreatedAt)]);
    }

    /// <summary>A district's first value of an indicator: the row is inserted at once, because its revision names its id.</summary>
    public async Task InsertAsync(Figure f) =>
        f.Id = Convert.ToInt32(await _insertFigure.Bind(f.CampaignId, f.DistrictId, f.IndicatorId, f.Value, f.Version, f.UpdatedAt, f.UpdatedBy)
            .ExecuteScalarAsync(), CultureInfo.InvariantCulture);

    /// <summary>The figure as it is now, if the row still has the version it was read with (optimistic concurrency, as SaveChanges).</summary>
    public async Task UpdateAsync(Figure f, int readVersion)
    {
        if (await _updateFigure.Bind(f.Value, f.Version, f.UpdatedAt, f.UpdatedBy, f.Id, readVersion).ExecuteNonQueryAsync() != 1)
            throw new DbUpdateConcurrencyException($"Figure {f.Id} changed after it was read at version {readVersion}.");
    }

    public async Task InsertAsync(FigureRevision r) =>
        await _insertRevision.Bind(r.FigureId, r.CampaignId, r.DistrictId, r.IndicatorId, r.OldValue, r.NewValue, r.Version, r.ChangedAt,
            r.ChangedBy, r.Reason, r.Channel, r.RequestId, r.Implausible, r.ClientAddress).ExecuteNonQueryAsync();

    public async Task InsertAsync(IdempotencyRecord k) =>
        await _insertKey.Bind(k.UserName, k.Scope, k.Key, k.RequestHash, k.Response, k.CreatedAt).ExecuteNonQueryAsync();

    public void Dispose()
    {
        foreach (var s in new[] { _insertFigure, _updateFigure, _insertRevision, _insertKey }) s.Dispose();
    }

    /// <summary>One prepared statement whose parameters are the given properties, converted as the model converts them.</summary>
    private sealed class Statement : IDisposable
    {
        private readonly DbCommand _command;
        private readonly (DbParameter Parameter, ValueConverter? Converter)[] _parameters;

        private Statement(DbConnection connection, DbTransaction tx, string sql, IReadOnlyList<IProperty> properties)
        {
            _command = connection.CreateCommand();
            _command.Transaction = tx;
            _command.CommandText = sql;
            _parameters = properties.Select((p, i) =>
            {
                var parameter = _command.CreateParameter();
                parameter.ParameterName = "p" + i;
                parameter.Value = DBNull.Value;
                _command.Parameters.Add(parameter);
                return (parameter, p.GetTypeMapping().Converter);
            }).ToArray();
        }

        private static IProperty[] Properties(IEntityType type, IEnumerable<string> names) =>
            names.Select(n => type.FindProperty(n) ?? throw new InvalidOperationException($"{type.ClrType.Name}.{n} is not mapped")).ToArray();

        private static string Column(IProperty p) => "\"" + p.GetColumnName() + "\"";

        public static Statement Insert(DbConnection connection, DbTransaction tx, IEntityType type, string[] columns, string? returning = null)
        {
            var properties = Properties(type, columns);
            var sql = $"INSERT INTO \"{type.GetTableName()}\" ({string.Join(", ", properties.Select(Column))}) " +
                      $"VALUES ({string.Join(", ", properties.Select((_, i) => "@p" + i))})" +
                      (returning is null ? "" : " RETURNING " + Column(type.FindProperty(returning)!));
            return new Statement(connection, tx, sql, properties);
        }

        public static Statement Update(DbConnection connection, DbTransaction tx, IEntityType type, string[] set, string[] where)
        {
            var properties = Properties(type, set.Concat(where));
            var sql = $"UPDATE \"{type.GetTableName()}\" SET {string.Join(", ", properties.Take(set.Length).Select((p, i) => $"{Column(p)} = @p{i}"))} " +
                      $"WHERE {string.Join(" AND ", properties.Skip(set.Length).Select((p, i) => $"{Column(p)} = @p{set.Length + i}"))}";
            return new Statement(connection, tx, sql, properties);
        }

        public DbCommand Bind(params object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var (parameter, converter) = _parameters[i];
                parameter.Value = values[i] is { } v ? converter?.ConvertToProvider(v) ?? v : DBNull.Value;
            }
            return _command;
        }

        public void Dispose() => _command.Dispose();
    }
}
