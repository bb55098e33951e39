using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>
/// Finds the client of a presented API key in constant time: the presented key and every configured key are hashed with
/// SHA-256 (so lengths do not show) and compared with <see cref="CryptographicOperations.FixedTimeEquals"/>, against every
/// configured key, without stopping at the first match. Only the hashes are kept.
/// </summary>
internal sealed class ApiKeyStore
{
    private readonly (byte[] Hash, ApiKeyClient Client)[] _clients;

    /// <summary>Initializes a new instance of the <see cref="ApiKeyStore"/> class.</summary>
    /// <param name="options">The configured keys.</param>
    public ApiKeyStore(IOptions<ApiKeyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = [.. options.Value.ApiKeys.Select(c => (Hash(c.Key), c))];
    }

    /// <summary>Finds the client whose key was presented.</summary>
    /// <param name="presentedKey">The key from the request.</param>
    /// <returns>The client, or <see langword="null"/> when no configured key matches.</returns>
    public ApiKeyClient? Find(string presentedKey)
    {
        ArgumentNullException.ThrowIfNull(presentedKey);
        var presented = Hash(presentedKey);
        ApiKeyClient? match = null;
        foreach (var (hash, client) in _clients)
        {
            var equal = CryptographicOperations.FixedTimeEquals(hash, presented);
            match = equal ? client : match;
        }

        return match;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
