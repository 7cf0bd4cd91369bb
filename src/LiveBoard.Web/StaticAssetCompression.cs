using Microsoft.AspNetCore.ResponseCompression;

namespace LiveBoard.Web;

public static class StaticAssetCompression
{
    /// <summary>
    /// Compresses stylesheets and scripts that arrive uncompressed (MudBlazor's 600 KB stylesheet is not precompressed
    /// by the build): a phone on a field network loads a page several times faster. Pages and the live connection are
    /// left alone: pages stream as they render, and the circuit compresses its own messages.
    /// </summary>
    public static IServiceCollection AddStaticAssetCompression(this IServiceCollection services) =>
        services.AddResponseCompression(o =>
        {
            o.MimeTypes = ["text/css", "text/javascript", "application/javascript"];
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
        });
}
