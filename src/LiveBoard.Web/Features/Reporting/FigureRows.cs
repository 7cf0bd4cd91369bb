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
/// <remarks>
/// Where the engine takes several statements in one round trip (<see cref="DbConnection.CanCreateBatch"/>: Npgsql, not
/// Microsoft.Data.Sqlite) the updates and inserts are collected and sent together by <see cref="FlushAsync"/>, before the
/// commit. On PostgreSQL each statement sent alone is a round trip to another process that the one writer waits for, three
/// per report: with the machine's cores busy each wait is a scheduling delay, and the writer spent its batches waiting
/// (BENCHMARKS.md, scale-out write path). SQLite runs in process: there a statement costs no round trip, and is run at once.
/// </remarks>
internal sealed class FigureRows : IDisposable
{
    private readonly Statement _insertFigure, _updateFigure, _insertRevision, _insertKey;
    // The statements not sent yet (null: each is run at once), and which of them are version-checked updates.
    private readonly DbBatch? _pending;
    private readonly List<(int Index, int FigureId, int ReadVersion)> _versionChecks = [];

    public FigureRows(LiveBoardDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        var tx = (db.Database.CurrentTransaction ?? throw new InvalidOperationException("FigureRows writes inside a transaction")).GetDbTransaction();
        if (connection.CanCreateBatch)
        {
            _pending = connection.CreateBatch();
            _pending.Transaction = tx;
        }
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
    public async Task InsertAsync(Figure f)
    {
        // After what was collected before it, in the order the caller wrote them.
        await FlushAsync();
        f.Id = Convert.ToInt32(await _insertFigure.Bind(f.CampaignId, f.DistrictId, f.IndicatorId, f.Value, f.Version, f.UpdatedAt, f.UpdatedBy)
            .ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The figure as it is now, if the row still has the version it was read with (optimistic concurrency, as SaveChanges).</summary>
    public async Task UpdateAsync(Figure f, int readVersion)
    {
        object?[] values = [f.Value, f.Version, f.UpdatedAt, f.UpdatedBy, f.Id, readVersion];
        if (_pending is not null)
        {
            _versionChecks.Add((_pending.BatchCommands.Count, f.Id, readVersion));
            _pending.BatchCommands.Add(_updateFigure.BatchCommand(_pending, values));
            return;
        }
        if (await _updateFigure.Bind(values).ExecuteNonQueryAsync() != 1) throw Changed(f.Id, readVersion);
    }

    public Task InsertAsync(FigureRevision r) => RunAsync(_insertRevision, r.FigureId, r.CampaignId, r.DistrictId, r.IndicatorId, r.OldValue,
        r.NewValue, r.Version, r.ChangedAt, r.ChangedBy, r.Reason, r.Channel, r.RequestId, r.Implausible, r.ClientAddress);

    public Task InsertAsync(IdempotencyRecord k) => RunAsync(_insertKey, k.UserName, k.Scope, k.Key, k.RequestHash, k.Response, k.CreatedAt);

    /// <summary>
    /// Sends the collected statements in one round trip; call before the commit. A version-checked update that found its
    /// row changed throws <see cref="DbUpdateConcurrencyException"/>, as when run alone; a unique index refuses the whole
    /// round trip (nothing of the transaction is committed either way).
    /// </summary>
    public async Task FlushAsync()
    {
        if (_pending is not { BatchCommands.Count: > 0 }) return;
        await _pending.ExecuteNonQueryAsync();
        foreach (var (index, figureId, readVersion) in _versionChecks)
            if (_pending.BatchCommands[index].RecordsAffected != 1) throw Changed(figureId, readVersion);
        _pending.BatchCommands.Clear();
        _versionChecks.Clear();
    }

    private async Task RunAsync(Statement statement, params object?[] values)
    {
        if (_pending is not null) _pending.BatchCommands.Add(statement.BatchCommand(_pending, values));
        else await statement.Bind(values).ExecuteNonQueryAsync();
    }

    private static DbUpdateConcurrencyException Changed(int figureId, int readVersion) =>
        new($"Figure {figureId} changed after it was read at version {readVersion}.");

    public void Dispose()
    {
        foreach (var s in new[] { _insertFigure, _updateFigure, _insertRevision, _insertKey }) s.Dispose();
        _pending?.Dispose();
    }

    /// <summary>One prepared statement whose parameters are the given properties, converted as the model converts them.</summary>
    private sealed class Statement : IDisposable
    {
        private readonly DbCommand _command;
        private readonly (DbParameter Parameter, ValueConverter? Converter)[] _parameters;
        private readonly string _positionalSql;

        private Statement(DbConnection connection, DbTransaction tx, string sql, IReadOnlyList<IProperty> properties)
        {
            _command = connection.CreateCommand();
            _command.Transaction = tx;
            _command.CommandText = sql;
            // From the last to the first, so that @p1 does not match the start of @p10.
            _positionalSql = Enumerable.Range(0, properties.Count).Reverse()
                .Aggregate(sql, (text, i) => text.Replace("@p" + i, "$" + (i + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
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

        /// <summary>The statement with these values as one command of <paramref name="batch"/> (positional parameters).</summary>
        public DbBatchCommand BatchCommand(DbBatch batch, object?[] values)
        {
            var command = batch.CreateBatchCommand();
            // $1, $2 … with unnamed parameters: Npgsql sends the text as it is, without rewriting @p0 … for each command.
            command.CommandText = _positionalSql;
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.Value = Provider(i, values[i]);
                command.Parameters.Add(parameter);
            }
            return command;
        }

        private object Provider(int i, object? value) =>
            value is { } v ? _parameters[i].Converter?.ConvertToProvider(v) ?? v : DBNull.Value;

        public DbCommand Bind(params object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                _parameters[i].Parameter.Value = Provider(i, values[i]);
            }
            return _command;
        }

        public void Dispose() => _command.Dispose();
    }
}
