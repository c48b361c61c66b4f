/* cw-startup-probe.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void cw_startup_probe_install (GApplication *app);

G_END_DECLS
