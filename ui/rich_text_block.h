// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTextDocument>
#include <QWidget>

namespace gm {

// A block of rich text (e.g. an HTML table of figures) that lays its text out itself, for
// figures that change several times a second. A word-wrapped rich-text QLabel asks its parent
// for a new layout on every new text, and the layout then measures it at several widths (the
// System page's longest UI stalls at 200K events/s, issue 17). This block asks again only when
// the new text's height at its width differs, and remembers its height per width until the
// text changes. The text is not selectable; its context menu copies it.
class RichTextBlock : public QWidget {
    Q_OBJECT
public:
    explicit RichTextBlock(QWidget* parent = nullptr);

    void setHtml(const QString& html);
    const QString& html() const { return html_; }
    QString plainText() const { return document_.toPlainText(); }
    QAction* copyAction() const { return copy_; }

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    // Lays the text out at `width` unless it already is (QTextDocument keeps one layout).
    void layOutAt(int width) const;
    void forgetHeights();

    QString html_;
    mutable QTextDocument document_;
    // Heights measured since the text last changed, by width (a layout pass asks for a few).
    mutable QList<QPair<int, int>> heights_;
    QAction* copy_;
};

} // namespace gm
