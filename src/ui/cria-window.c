/* cria-window.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-window.h"

struct _CriaWindow
{
  AdwApplicationWindow  parent_instance;
};

G_DEFINE_FINAL_TYPE (CriaWindow, cria_window, ADW_TYPE_APPLICATION_WINDOW)

static void
cria_window_class_init (CriaWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-window.ui");
}

static void
cria_window_init (CriaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CriaWindow *
cria_window_new (CriaApplication *application)
{
  return g_object_new (CRIA_TYPE_WINDOW, "application", application, NULL);
}
