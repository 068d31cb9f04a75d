// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/desktop_session.h"

#include <QLabel>

namespace gm {

// A strip above every page that says, with the server's reason, when PostgreSQL is unreachable
// or refuses rows; hidden while the database is fine or not in use.
class DatabaseBanner : public QLabel {
    Q_OBJECT
public:
    explicit DatabaseBanner(QWidget* parent = nullptr);
    void showServices(const DesktopSession::Services& services);
};

} // namespace gm
