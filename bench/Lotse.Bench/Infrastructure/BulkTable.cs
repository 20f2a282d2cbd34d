using System.Data.Common;
using System.Reflection;
using Lotse.Web.Data;
using Lotse.Web.Features.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Lotse.Bench.Infrastructure;

/// <summary>
/// Writes entities of one type into their table fast, bypassing the change tracker but not the app's mapping: table and
/// column names, value converters (enums as text, UTC instants) and the SQLite parameter types come from LotseDb's own
/// model, and every column marked as counselling content is encrypted with the app's <see cref="CounsellingContent"/>
/// exactly as <see cref="ContentEncryptionInterceptor"/> does on SaveChanges. PostgreSQL: one binary COPY per table on its
/// own connection (a table referring to another must be completed after it); SQLite: one prepared INSERT per table on
/// the session's one connection (SQLite has one writer), in shared transactions of <see cref="BulkSession.SqliteBatch"/> rows.
/// </summary>
public sealed class BulkTable<T> : IAsyncDisposable
    where T : class
{
    private readonly IProperty[] _columns;
    private readonly Func<object, object?>[] _read;
    private readonly CounsellingContent _content;
    private readonly NpgsqlBinaryImporter? _copy;
    private readonly NpgsqlConnection? _pg;
    private readonly NpgsqlDbType[] _pgTypes = [];
    private readonly BulkSession _session;
    private readonly SqliteCommand? _insert;

    internal BulkTable(BulkSession session, LotseDb db, CounsellingContent content, NpgsqlConnection? pg)
    {
        _session = session;
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in LotseDb's model.");
        if (entityType.GetComplexProperties().Any())
        {
            throw new InvalidOperationException($"{typeof(T).Name} has complex properties: write it through LotseDb.");
        }

        Table = entityType.GetTableName()!;
        var table = StoreObjectIdentifier.Table(Table, entityType.GetSchema());
        _columns = entityType.GetProperties().ToArray();
        _read = _columns.Select(Reader).ToArray();
        _content = content;
        var names = string.Join(", ", _columns.Select(c => Quote(c.GetColumnName(table)!)));
        if (pg is not null)
        {
            _pg = pg;
            _pgTypes = _columns.Select(c => PgType(c.GetTypeMapping().Converter?.ProviderClrType ?? c.ClrType)).ToArray();
            _copy = pg.BeginBinaryImport($"COPY {Quote(Table)} ({names}) FROM STDIN (FORMAT BINARY)");
        }
        else
        {
            _insert = session.Sqlite!.CreateCommand();
            _insert.CommandText = $"INSERT INTO {Quote(Table)} ({names}) VALUES ({string.Join(", ", _columns.Select((_, i) => "$p" + i))})";
            for (var i = 0; i < _columns.Length; i++)
            {
                var mapping = (RelationalTypeMapping)_columns[i].GetRelationalTypeMapping();
                _insert.Parameters.Add(new SqliteParameter { ParameterName = "$p" + i, DbType = mapping.DbType ?? System.Data.DbType.String });
            }
        }
    }

    public string Table { get; }

    public long Rows { get; private set; }

    public void Add(T entity)
    {
        if (_copy is not null)
        {
            _copy.StartRow();
            for (var i = 0; i < _columns.Length; i++)
            {
                if (Value(i, entity) is { } v)
                {
                    _copy.Write(v, _pgTypes[i]);
                }
                else
                {
                    _copy.WriteNull();
                }
            }
        }
        else
        {
            _insert!.Transaction = _session.SqliteTransaction();
            for (var i = 0; i < _columns.Length; i++)
            {
                var mapping = (RelationalTypeMapping)_columns[i].GetRelationalTypeMapping();
                // The provider value as EF would bind it (its converter, then the mapping's own parameter value).
                ((DbParameter)_insert.Parameters[i]).Value = Value(i, entity) is { } v ? SqliteValue(mapping, v) : DBNull.Value;
            }

            _insert.ExecuteNonQuery();
            _session.SqliteRowWritten();
        }

        Rows++;
    }

    /// <summary>Commits what was written; without it nothing of a COPY is kept.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_copy is not null)
        {
            await _copy.CompleteAsync(cancellationToken);
        }
        else
        {
            await _session.CommitSqliteAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_copy is not null)
        {
            await _copy.DisposeAsync();
        }

        if (_pg is not null)
        {
            await _pg.DisposeAsync();
        }

        if (_insert is not null)
        {
            await _insert.DisposeAsync();
        }
    }

    private object? Value(int i, T entity)
    {
        var value = _read[i](entity);
        if (value is null)
        {
            return null;
        }

        if (_columns[i].IsCounsellingContent())
        {
            value = _content.Protect((string)value);
        }

        return _columns[i].GetTypeMapping().Converter is { } converter ? converter.ConvertToProvider(value) : value;
    }

    private static object? SqliteValue(RelationalTypeMapping mapping, object providerValue)
    {
        // SQLite's mappings for these write text in EF's own format; everything else binds as it is.
        return providerValue switch
        {
            Guid g => g.ToString().ToUpperInvariant(),
            DateTime or DateOnly or TimeOnly or DateTimeOffset => mapping.GenerateProviderValueSqlLiteral(providerValue).Trim('\''),
            _ => providerValue,
        };
    }

    private static Func<object, object?> Reader(IProperty property)
    {
        var info = property.PropertyInfo ?? throw new InvalidOperationException($"{property.DeclaringType.DisplayName()}.{property.Name} is a shadow property; the bulk writer reads only CLR properties.");
        return info.GetValue;
    }

    private static NpgsqlDbType PgType(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => NpgsqlDbType.Text,
        var t when t == typeof(Guid) => NpgsqlDbType.Uuid,
        var t when t == typeof(DateTime) => NpgsqlDbType.TimestampTz,
        var t when t == typeof(DateTimeOffset) => NpgsqlDbType.TimestampTz,
        var t when t == typeof(DateOnly) => NpgsqlDbType.Date,
        var t when t == typeof(TimeOnly) => NpgsqlDbType.Time,
        var t when t == typeof(bool) => NpgsqlDbType.Boolean,
        var t when t == typeof(int) => NpgsqlDbType.Integer,
        var t when t == typeof(long) => NpgsqlDbType.Bigint,
        var t => throw new InvalidOperationException($"No COPY type for {t.Name}."),
    };

    private static string Quote(string name) => "\"" + name + "\"";
}

/// <summary>The connections of one bulk load: PostgreSQL opens one per table, SQLite shares one and its transaction.</summary>
public sealed class BulkSession : IAsyncDisposable
{
    public const int SqliteBatch = 20_000;

    private readonly LotseDb _db;
    private readonly CounsellingContent _content;
    private SqliteTransaction? _transaction;
    private int _inBatch;

    private BulkSession(LotseDb db, CounsellingContent content, SqliteConnection? sqlite)
    {
        _db = db;
        _content = content;
        Sqlite = sqlite;
    }

    internal SqliteConnection? Sqlite { get; }

    /// <param name="db">Its model, provider and connection string are used; the bulk load opens connections of its own.</param>
    public static async Task<BulkSession> OpenAsync(LotseDb db, CounsellingContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsNpgsql())
        {
            return new BulkSession(db, content, null);
        }

        var sqlite = new SqliteConnection(db.Database.GetConnectionString());
        await sqlite.OpenAsync(cancellationToken);
        return new BulkSession(db, content, sqlite);
    }

    public async Task<BulkTable<T>> TableAsync<T>(CancellationToken cancellationToken)
        where T : class
    {
        if (Sqlite is not null)
        {
            return new BulkTable<T>(this, _db, _content, null);
        }

        var pg = new NpgsqlConnection(_db.Database.GetConnectionString());
        await pg.OpenAsync(cancellationToken);
        return new BulkTable<T>(this, _db, _content, pg);
    }

    internal SqliteTransaction SqliteTransaction() => _transaction ??= Sqlite!.BeginTransaction();

    internal void SqliteRowWritten()
    {
        if (++_inBatch < SqliteBatch)
        {
            return;
        }

        _transaction!.Commit();
        _transaction.Dispose();
        _transaction = null;
        _inBatch = 0;
    }

    internal async Task CommitSqliteAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            await _transaction.CommitAsync(cancellationToken);
            await _transaction.DisposeAsync();
            _transaction = null;
            _inBatch = 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }

        if (Sqlite is not null)
        {
            await Sqlite.DisposeAsync();
        }
    }
}

/// <summary>Sets what a domain entity keeps private when the database would have assigned it (identity ids).</summary>
public static class EntityIds
{
    public static void Set<T>(T entity, long id)
        where T : class =>
        (typeof(T).GetProperty("Id", BindingFlags.Public | BindingFlags.Instance) ?? throw new InvalidOperationException($"{typeof(T).Name} has no Id."))
            .SetValue(entity, id);
}
