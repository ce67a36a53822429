// PDF through Pango (layout, fonts from fontconfig: DejaVu has Cyrillic and Polish letters) and
// Cairo (embeds the fonts as subsets with their Unicode maps, so the text can be searched and
// copied). A4, 2 cm margins; blocks flow down the page and move to the next one when they do
// not fit; tables break between rows and repeat their header row.
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "render/document.hpp"

namespace ratusha::render {

namespace {

constexpr double kPageW = 595.28, kPageH = 841.89, kMargin = 56.7;
constexpr double kWidth = kPageW - 2 * kMargin;

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct Pen {
  cairo_t* cr;
  double y = kMargin;

  void new_page() {
    cairo_show_page(cr);
    y = kMargin;
  }
  // A laid-out paragraph of `text` in `font`, `width` wide (Pango units are 1/1024 pt).
  std::unique_ptr<PangoLayout, decltype(&g_object_unref)> layout(const std::string& text,
                                                                 const char* font, double width,
                                                                 PangoAlignment align) {
    std::unique_ptr<PangoLayout, decltype(&g_object_unref)> l(pango_cairo_create_layout(cr),
                                                              g_object_unref);
    auto* desc = pango_font_description_from_string(font);
    pango_layout_set_font_description(l.get(), desc);
    pango_font_description_free(desc);
    pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l.get(), align);
    pango_layout_set_text(l.get(), text.c_str(), static_cast<int>(text.size()));
    return l;
  }
  static double height(PangoLayout* l) {
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  void block(const std::string& text, const char* font, double above, double below,
             PangoAlignment align = PANGO_ALIGN_LEFT, double indent = 0,
             const char* bullet = nullptr) {
    auto l = layout(text, font, kWidth - indent, align);
    double h = height(l.get());
    if (y + above + h > kPageH - kMargin && y > kMargin)
      new_page();
    else
      y += above;
    if (bullet) {
      auto b = layout(bullet, font, indent, PANGO_ALIGN_LEFT);
      cairo_move_to(cr, kMargin, y);
      pango_cairo_show_layout(cr, b.get());
    }
    if (y + h <= kPageH - kMargin) {
      cairo_move_to(cr, kMargin + indent, y);
      pango_cairo_show_layout(cr, l.get());
      y += h + below;
      return;
    }
    // Taller than a page (a long draft decision): line by line, onto as many pages as it takes.
    std::unique_ptr<PangoLayoutIter, decltype(&pango_layout_iter_free)> it(
        pango_layout_get_iter(l.get()), pango_layout_iter_free);
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it.get(), nullptr, &logical);
      double line_h = static_cast<double>(logical.height) / PANGO_SCALE;
      if (y + line_h > kPageH - kMargin) new_page();
      double baseline =
          static_cast<double>(pango_layout_iter_get_baseline(it.get()) - logical.y) / PANGO_SCALE;
      cairo_move_to(cr, kMargin + indent + static_cast<double>(logical.x) / PANGO_SCALE,
                    y + baseline);
      pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(it.get()));
      y += line_h;
    } while (pango_layout_iter_next_line(it.get()));
    y += below;
  }
  void table(const std::vector<std::vector<std::string>>& rows) {
    if (rows.empty()) return;
    std::size_t cols = rows.front().size();
    // The first column (a name, a question) gets twice the room of the others.
    double unit = kWidth / static_cast<double>(cols + 1);
    auto col_x = [&](std::size_t c) {
      return kMargin + (c == 0 ? 0 : unit * static_cast<double>(c + 1));
    };
    auto col_w = [&](std::size_t c) { return c == 0 ? 2 * unit : unit; };
    constexpr double pad = 3;
    using Cells = std::vector<std::unique_ptr<PangoLayout, decltype(&g_object_unref)>>;
    auto lay_out = [&](const std::vector<std::string>& row, bool header, double& h) {
      Cells cells;
      h = 0;
      for (std::size_t c = 0; c < cols; ++c) {
        cells.push_back(layout(c < row.size() ? row[c] : "",
                               header ? "DejaVu Sans Bold 8" : "DejaVu Sans 8", col_w(c) - 2 * pad,
                               PANGO_ALIGN_LEFT));
        h = std::max(h, height(cells.back().get()));
      }
      h += 2 * pad;
      return cells;
    };
    auto paint = [&](const Cells& cells, double h, bool header) {
      if (header) {
        cairo_set_source_rgb(cr, 0.92, 0.92, 0.92);
        cairo_rectangle(cr, kMargin, y, kWidth, h);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
      }
      for (std::size_t c = 0; c < cols; ++c) {
        cairo_move_to(cr, col_x(c) + pad, y + pad);
        pango_cairo_show_layout(cr, cells[c].get());
      }
      cairo_set_line_width(cr, 0.5);
      cairo_rectangle(cr, kMargin, y, kWidth, h);
      for (std::size_t c = 1; c < cols; ++c) {
        cairo_move_to(cr, col_x(c), y);
        cairo_line_to(cr, col_x(c), y + h);
      }
      cairo_stroke(cr);
      y += h;
    };
    double header_h = 0;
    auto header = lay_out(rows.front(), true, header_h);
    y += 4;
    // The header and the first row stay together.
    if (rows.size() > 1 && y + header_h * 2 > kPageH - kMargin) new_page();
    paint(header, header_h, true);
    for (std::size_t r = 1; r < rows.size(); ++r) {
      double h = 0;
      auto cells = lay_out(rows[r], false, h);
      if (y + h > kPageH - kMargin) {
        new_page();
        paint(header, header_h, true);
      }
      paint(cells, h, false);
    }
    y += 8;
  }
};

}  // namespace

std::string to_pdf(const Document& d) {
  std::string out;
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_pdf_surface_create_for_stream(append, &out, kPageW, kPageH), cairo_surface_destroy);
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error("cairo could not start a PDF");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, d.title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Ratusha");
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()), cairo_destroy);
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  Pen pen{cr.get()};
  for (const auto& b : d.blocks) {
    switch (b.kind) {
      case Block::Kind::title:
        pen.block(b.text, "DejaVu Sans Bold 15", 0, 12, PANGO_ALIGN_CENTER);
        break;
      case Block::Kind::heading:
        pen.block(b.text, "DejaVu Sans Bold 12", 10, 4);
        break;
      case Block::Kind::subheading:
        pen.block(b.text, "DejaVu Sans Bold 10", 8, 3);
        break;
      case Block::Kind::paragraph:
        pen.block(b.text, "DejaVu Sans 10", 0, 5);
        break;
      case Block::Kind::item:
        pen.block(b.text, "DejaVu Sans 10", 0, 2, PANGO_ALIGN_LEFT, 14, "•");
        break;
      case Block::Kind::table:
        pen.table(b.rows);
        break;
    }
  }
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error("cairo could not finish the PDF");
  return out;
}

}  // namespace ratusha::render
