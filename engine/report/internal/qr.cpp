#include "report/internal/qr.h"

#include <qrencode.h>

#include <cerrno>
#include <memory>

#include "report/html.h"

namespace tryghed::report::internal {

core::Result<std::string> QrSvg(std::string_view text, std::string_view aria_label) {
  if (text.empty()) return core::InvalidArgument("a QR code needs a text");
  if (text.find('\0') != std::string_view::npos) return core::InvalidArgument("a QR code text cannot hold a NUL byte");
  const std::string owned(text);
  errno = 0;
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeString(owned.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, /*casesensitive=*/1), QRcode_free);
  if (code == nullptr) {
    if (errno == ERANGE) {
      return core::InvalidArgument("the text is too long for a QR code (" + std::to_string(text.size()) +
                                   " bytes; at most 2,331 at error correction M)");
    }
    return core::Internal("libqrencode could not encode the text (errno " + std::to_string(errno) + ")");
  }
  const int n = code->width;
  const int side = n + 2 * kQrQuietZone;
  std::string path;
  path.reserve(static_cast<std::size_t>(n) * 24);
  for (int y = 0; y < n; ++y) {
    int x = 0;
    while (x < n) {
      if ((code->data[y * n + x] & 1) == 0) {
        ++x;
        continue;
      }
      int end = x;
      while (end < n && (code->data[y * n + end] & 1) != 0) ++end;
      const int len = end - x;
      path += "M" + std::to_string(x + kQrQuietZone) + " " + std::to_string(y + kQrQuietZone) + "h" +
              std::to_string(len) + "v1h-" + std::to_string(len) + "z";
      x = end;
    }
  }
  const std::string s = std::to_string(side);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" aria-label=\"" +
         EscapeHtml(aria_label) + "\" viewBox=\"0 0 " + s + " " + s +
         "\" shape-rendering=\"crispEdges\"><rect width=\"" + s + "\" height=\"" + s +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace tryghed::report::internal
