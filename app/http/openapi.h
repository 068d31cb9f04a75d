// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace gm {

// GET /api/v1/openapi.json: an OpenAPI 3.0 document of every route ApiHandler serves (a test
// requests each path it lists). `keys_required`: the API routes declare the X-API-Key scheme.
std::string openApiDocument(bool keys_required);

} // namespace gm
