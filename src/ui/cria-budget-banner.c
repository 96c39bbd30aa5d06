/* cria-budget-banner.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cria-budget-banner-private.h"
#include "cria-chat-enums.h"
#include "cria-format.h"

struct _CriaBudgetBanner
{
  GtkWidget        parent_instance;

  CriaBudget      *budget;
  CriaBudgetLevel  level;

  GtkRevealer     *revealer;
  GtkWidget       *box;
  GtkLabel        *label;
  GtkWidget       *spending_button;
};

G_DEFINE_FINAL_TYPE (CriaBudgetBanner, cria_budget_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUDGET,
  PROP_LEVEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
_cria_budget_banner_format_spent (CriaBudget *budget)
{
  double spent = cria_budget_get_month_cost (budget);

  return cria_budget_get_estimated (budget) ? cria_format_estimated_cost (spent) : cria_format_cost (spent);
}

guint
_cria_budget_banner_percent (CriaBudget *budget)
{
  double percent = floor (cria_budget_get_share (budget) * 100 + 1e-7);

  /* Whole percents, never rounded up past a threshold not reached yet. */
  return (guint) CLAMP (percent, 0, G_MAXUINT);
}

/* Plain text: the label is not markup. */
static void
update_text (CriaBudgetBanner *self)
{
  g_autofree char *spent = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *text = NULL;
  guint percent;

  if (self->budget == NULL || self->level == CRIA_BUDGET_LEVEL_NONE)
    return;

  spent = _cria_budget_banner_format_spent (self->budget);
  limit = cria_format_cost (cria_budget_get_limit (self->budget));
  percent = _cria_budget_banner_percent (self->budget);

  if (self->level == CRIA_BUDGET_LEVEL_OVER)
    /* Translators: the first %s is what was spent this month, the second the
     * monthly budget, both amounts in US dollars such as "$5.20" */
    text = g_strdup_printf (_("Over this month’s budget: %s of %s spent."), spent, limit);
  else
    /* Translators: %u is a percentage ("84 %"); the first %s is what was spent
     * this month, the second the monthly budget, both amounts in US dollars */
    text = g_strdup_printf (ngettext ("%u %% of this month’s budget is spent: %s of %s.",
                                      "%u %% of this month’s budget is spent: %s of %s.",
                                      percent),
                            percent, spent, limit);

  gtk_label_set_text (self->label, text);
}

static void
set_level (CriaBudgetBanner *self,
           CriaBudgetLevel   level)
{
  if (self->level == level)
    return;

  self->level = level;
  if (level == CRIA_BUDGET_LEVEL_OVER)
    gtk_widget_add_css_class (self->box, "error");
  else
    gtk_widget_remove_css_class (self->box, "error");
  update_text (self);
  gtk_revealer_set_reveal_child (self->revealer, level != CRIA_BUDGET_LEVEL_NONE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
}

/* "Show Spending" opens the Spending window, which the application may not
 * have: without its action the button would only sit there insensitive. */
static void
update_spending_button (CriaBudgetBanner *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  gtk_widget_set_visible (self->spending_button,
                          app != NULL && g_action_group_has_action (G_ACTION_GROUP (app), "spending"));
}

static void
budget_changed_cb (CriaBudgetBanner *self)
{
  /* The warning no longer holds: the limit was raised, or the budget
   * turned off. */
  if (cria_budget_get_level (self->budget) < self->level)
    set_level (self, CRIA_BUDGET_LEVEL_NONE);
  else
    update_text (self);
}

static void
dismiss_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  set_level (CRIA_BUDGET_BANNER (widget), CRIA_BUDGET_LEVEL_NONE);
}

static void
cria_budget_banner_dispose (GObject *object)
{
  CriaBudgetBanner *self = CRIA_BUDGET_BANNER (object);

  if (self->budget != NULL)
    g_signal_handlers_disconnect_by_data (self->budget, self);
  g_clear_object (&self->budget);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_BUDGET_BANNER);

  G_OBJECT_CLASS (cria_budget_banner_parent_class)->dispose (object);
}

static void
cria_budget_banner_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CriaBudgetBanner *self = CRIA_BUDGET_BANNER (object);

  switch (prop_id)
    {
    case PROP_BUDGET:
      g_value_set_object (value, self->budget);
      break;
    case PROP_LEVEL:
      g_value_set_enum (value, self->level);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_budget_banner_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CriaBudgetBanner *self = CRIA_BUDGET_BANNER (object);

  switch (prop_id)
    {
    case PROP_BUDGET:
      cria_budget_banner_set_budget (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_budget_banner_class_init (CriaBudgetBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_budget_banner_dispose;
  object_class->get_property = cria_budget_banner_get_property;
  object_class->set_property = cria_budget_banner_set_property;

  properties[PROP_BUDGET] =
    g_param_spec_object ("budget", NULL, NULL, CRIA_TYPE_BUDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEVEL] =
    g_param_spec_enum ("level", NULL, NULL, CRIA_TYPE_BUDGET_LEVEL, CRIA_BUDGET_LEVEL_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-budget-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaBudgetBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, CriaBudgetBanner, box);
  gtk_widget_class_bind_template_child (widget_class, CriaBudgetBanner, label);
  gtk_widget_class_bind_template_child (widget_class, CriaBudgetBanner, spending_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "criabudgetbanner");

  gtk_widget_class_install_action (widget_class, "budget-banner.dismiss", NULL, dismiss_activated);
}

static void
cria_budget_banner_init (CriaBudgetBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cria_budget_banner_new (void)
{
  return g_object_new (CRIA_TYPE_BUDGET_BANNER, NULL);
}

CriaBudget *
cria_budget_banner_get_budget (CriaBudgetBanner *self)
{
  g_return_val_if_fail (CRIA_IS_BUDGET_BANNER (self), NULL);

  return self->budget;
}

void
cria_budget_banner_set_budget (CriaBudgetBanner *self,
                               CriaBudget       *budget)
{
  g_return_if_fail (CRIA_IS_BUDGET_BANNER (self));
  g_return_if_fail (budget == NULL || CRIA_IS_BUDGET (budget));

  if (self->budget == budget)
    return;

  if (self->budget != NULL)
    g_signal_handlers_disconnect_by_data (self->budget, self);
  g_set_object (&self->budget, budget);
  /* A warning is about the budget it came from. */
  set_level (self, CRIA_BUDGET_LEVEL_NONE);

  if (budget != NULL)
    {
      g_signal_connect_swapped (budget, "notify::month-cost", G_CALLBACK (budget_changed_cb), self);
      g_signal_connect_swapped (budget, "notify::estimated", G_CALLBACK (budget_changed_cb), self);
      g_signal_connect_swapped (budget, "notify::limit", G_CALLBACK (budget_changed_cb), self);
      g_signal_connect_swapped (budget, "notify::level", G_CALLBACK (budget_changed_cb), self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUDGET]);
}

CriaBudgetLevel
cria_budget_banner_get_level (CriaBudgetBanner *self)
{
  g_return_val_if_fail (CRIA_IS_BUDGET_BANNER (self), CRIA_BUDGET_LEVEL_NONE);

  return self->level;
}

void
cria_budget_banner_warn (CriaBudgetBanner *self,
                         CriaBudgetLevel   level)
{
  g_return_if_fail (CRIA_IS_BUDGET_BANNER (self));
  g_return_if_fail (level == CRIA_BUDGET_LEVEL_NEAR || level == CRIA_BUDGET_LEVEL_OVER);
  g_return_if_fail (self->budget != NULL);

  update_spending_button (self);
  set_level (self, level);
}

GtkRevealer *
_cria_budget_banner_get_revealer (CriaBudgetBanner *self)
{
  return self->revealer;
}

GtkLabel *
_cria_budget_banner_get_label (CriaBudgetBanner *self)
{
  return self->label;
}

GtkWidget *
_cria_budget_banner_get_spending_button (CriaBudgetBanner *self)
{
  return self->spending_button;
}
