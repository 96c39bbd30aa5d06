/* cria-application.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-budget.h"
#include "cria-meaning.h"
#include "cria-client.h"
#include "cria-mcp-manager.h"
#include "cria-store.h"
#include "cria-window.h"

G_BEGIN_DECLS

#define CRIA_TYPE_APPLICATION (cria_application_get_type ())

G_DECLARE_FINAL_TYPE (CriaApplication, cria_application, CRIA, APPLICATION, AdwApplication)

CriaApplication *cria_application_new        (void);
CriaClient      *cria_application_get_client (CriaApplication *self);
CriaStore       *cria_application_get_store  (CriaApplication *self);
/* This month's spending against the monthly-budget setting (made with the
 * store). Reaching 80 % and 100 % of it sends a notification and shows the
 * windows' banner, once per threshold and month. */
CriaBudget      *cria_application_get_budget (CriaApplication *self);
/* Search by meaning over the history, following the settings. */
CriaMeaning     *cria_application_get_meaning (CriaApplication *self);
CriaMcpManager  *cria_application_get_mcp_manager (CriaApplication *self);
/* A new window with the application's client and store. */
CriaToolbox     *cria_application_get_toolbox (CriaApplication *self);
CriaRetrieval   *cria_application_get_retrieval   (CriaApplication *self);
CriaWindow      *cria_application_new_window (CriaApplication *self);

G_END_DECLS
