/* cw-sim-dataset.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cw-plate.h"
#include "cw-sim-dataset.h"

/*
 * The simulator's workorders, generated from a seed and dated relative to "today": eight
 * days from yesterday on, most in Autoflex (which the app keeps importing) and some in
 * 2Drive (which it imports on request). Everything the connectors must cope with is in
 * it on purpose: Dutch and Belgian names with diacritics, plates of several sidecodes and
 * Belgian ones, Volkswagens (also spelt "VW") with VW VINs, 2Drive orders without a labour
 * line, canceled and invoiced orders, Autoflex orders that are no workshop orders, and
 * interventions in a deliberately non-alphabetical order. Incadea and Wincar orders (the
 * connectors that take writeback) carry the richest field set: both private and business
 * contacts, lease companies, first registration, APK and warranty dates, customer waiting.
 */

#define N_DAYS 8
#define AUTOFLEX_PER_DAY 7
#define TWODRIVE_PER_DAY 3
#define INCADEA_PER_DAY 2
#define WINCAR_PER_DAY 2

struct _CwSimDataset
{
  GDate      today;
  GPtrArray *orders;
  GRand     *rand;
  guint      next_number;
  guint      generation;
};

static const char * const first_names[] = {
  "Jan", "Sanne", "Daan", "Émilie", "François", "Anouk", "Lotte", "Thijs", "Zoë", "Geneviève",
  "Bram", "Inès", "Joris", "Maëlle", "Noah", "Fleur", "Søren", "Chloé", "Sem", "Loïc",
};

static const char * const last_names[] = {
  "de Vries", "Jansen", "Bakker", "van den Berg", "Peeters", "Janssens", "Maes", "Müller",
  "Dubois", "Lefèvre", "Ünal", "Çelik", "van Dijk", "Smits", "Claes", "Wouters",
  "Verbruggen", "d'Hondt", "Brandão", "Núñez", "Vandenbroucke", "El Idrissi",
};

static const char * const titles[] = { "Dhr.", "Mevr.", "M.", "Mme", NULL };

static const char * const companies[] = {
  "LeasePlan Nederland", "Athlon Car Lease", "Arval België", "Bouwbedrijf Van Gils B.V.",
  "Bakkerij De Korenaar", "Transport Claes BV",
};

static const char * const places[][2] = {
  { "3511 AB", "Utrecht" }, { "1012 JS", "Amsterdam" }, { "5611 AZ", "Eindhoven" },
  { "9000", "Gent" }, { "2000", "Antwerpen" }, { "3000", "Leuven" }, { "4811 XR", "Breda" },
};

static const char * const streets[] = {
  "Stationsstraat", "Kerkstraat", "Molenweg", "Rue de la Loi", "Dorpsstraat", "Kouter",
};

static const struct {
  const char *make;
  const char *model;
  const char *wmi;
} cars[] = {
  { "Volkswagen", "Golf", "WVW" },
  { "Volkswagen", "ID.4", "WVG" },
  { "Volkswagen", "Polo", "WVW" },
  { "VW", "Caddy", "WV1" },
  { "Volkswagen Bedrijfswagens", "Transporter", "WV2" },
  { "Audi", "A3 Sportback", "WAU" },
  { "Škoda", "Octavia", "TMB" },
  { "SEAT", "León", "VSS" },
  { "Toyota", "Yaris", "JTD" },
  { "Peugeot", "208", "VF3" },
  { "Kia", "Niro", "KNA" },
  { "Citroën", "C4", "VF7" },
};

/* Plate masks: L letter, D digit, B the Belgian index digit. */
static const char * const plate_masks[] = {
  "LL-DDD-L", "L-DDD-LL", "DD-LLL-D", "D-LLL-DD", "LLL-DD-L", "LL-DD-LL", "DD-LL-LL",
  "B-LLL-DDD",
};

/* Job lines in the order a workshop writes them, which is not alphabetical. */
static const struct {
  const char    *title;
  const char    *description;
  CwElementKind  kind;
  gint64         cents;
  const char    *part_code;
} jobs[] = {
  { "Kleine beurt", "Olie en oliefilter vervangen, controle volgens fabrieksvoorschrift", CW_ELEMENT_KIND_LABOUR, 18950, NULL },
  { "Remblokken voor vervangen", NULL, CW_ELEMENT_KIND_LABOUR, 12400, NULL },
  { "Remblokkenset voor", NULL, CW_ELEMENT_KIND_PART, 8650, "5Q0698151D" },
  { "APK-keuring", "Periodieke keuring", CW_ELEMENT_KIND_LABOUR, 4995, NULL },
  { "Airco onderhoud", NULL, CW_ELEMENT_KIND_LABOUR, 8900, NULL },
  { "Distributieriem vervangen", "Inclusief waterpomp", CW_ELEMENT_KIND_LABOUR, 64500, NULL },
  { "Oliefilter", NULL, CW_ELEMENT_KIND_PART, 1495, "03N115562B" },
  { "Bandenwissel winter", NULL, CW_ELEMENT_KIND_LABOUR, 6000, NULL },
  { "Ruitenwisserbladen", NULL, CW_ELEMENT_KIND_PART, 3450, "5G1998002" },
  { "Grote beurt", NULL, CW_ELEMENT_KIND_LABOUR, 42500, NULL },
  { "Klant wil graag vervangende auto", NULL, CW_ELEMENT_KIND_NOTE, -1, NULL },
};

#define PICK(array) (array[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (array))])

static char *
make_plate (CwSimDataset *self)
{
  static const char letters[] = "BDFGHJKLNPRSTVXZ";
  const char *mask = PICK (plate_masks);
  GString *plate = g_string_new (NULL);

  for (const char *m = mask; *m; m++)
    {
      if (*m == 'L')
        g_string_append_c (plate, letters[g_rand_int_range (self->rand, 0, sizeof letters - 1)]);
      else if (*m == 'D')
        g_string_append_c (plate, '0' + g_rand_int_range (self->rand, 0, 10));
      else if (*m == 'B')
        g_string_append_c (plate, '1' + g_rand_int_range (self->rand, 0, 2));
      else
        g_string_append_c (plate, *m);
    }

  return g_string_free (plate, FALSE);
}

static char *
make_vin (CwSimDataset *self,
          const char   *wmi)
{
  static const char chars[] = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
  GString *vin = g_string_new (wmi);

  g_string_append (vin, "ZZZ");
  while (vin->len < 17)
    g_string_append_c (vin, chars[g_rand_int_range (self->rand, 0, sizeof chars - 1)]);

  return g_string_free (vin, FALSE);
}

static CwParty *
make_person (CwSimDataset *self,
             CwPartyRole   role)
{
  CwParty *party = cw_party_new (role);
  const char *title = PICK (titles);
  guint place = g_rand_int_range (self->rand, 0, G_N_ELEMENTS (places));
  g_autofree char *house_number = g_strdup_printf ("%d", g_rand_int_range (self->rand, 1, 180));
  g_autofree char *phone = g_strdup_printf ("+31 6 %08d", g_rand_int_range (self->rand, 10000000, 99999999));
  const char *first = PICK (first_names);
  const char *last = PICK (last_names);
  g_autofree char *email = NULL;
  g_autofree char *local = g_strdup_printf ("%s.%s", first, last);
  g_autofree char *ascii = NULL;
  g_autofree char *relation_id = g_strdup_printf ("R%05d", g_rand_int_range (self->rand, 1, 99999));

  /* A plain-ASCII local part: no spaces or accents. */
  g_strdelimit (local, " '", '-');
  ascii = g_str_to_ascii (local, "C");
  email = g_ascii_strdown (ascii, -1);
  g_free (ascii);
  ascii = g_strconcat (email, "@example.nl", NULL);
  g_free (email);
  email = g_steal_pointer (&ascii);

  cw_party_set_field (party, CW_PARTY_DMS_ID, relation_id);
  cw_party_set_field (party, CW_PARTY_TITLE, title);
  cw_party_set_field (party, CW_PARTY_FIRST_NAME, first);
  cw_party_set_field (party, CW_PARTY_LAST_NAME, last);
  cw_party_set_field (party, CW_PARTY_STREET, PICK (streets));
  cw_party_set_field (party, CW_PARTY_HOUSE_NUMBER, house_number);
  cw_party_set_field (party, CW_PARTY_POSTCODE, places[place][0]);
  cw_party_set_field (party, CW_PARTY_PLACE, places[place][1]);
  cw_party_set_field (party, CW_PARTY_BUSINESS_PHONE, phone);
  cw_party_set_field (party, CW_PARTY_BUSINESS_EMAIL, email);

  return party;
}

static void
add_jobs (CwSimDataset *self,
          CwWorkorder  *workorder,
          gboolean      with_labour)
{
  guint n_jobs = g_rand_int_range (self->rand, 2, 5);
  guint first = g_rand_int_range (self->rand, 0, G_N_ELEMENTS (jobs));
  guint added = 0;

  for (guint i = 0; added < n_jobs && i < G_N_ELEMENTS (jobs); i++)
    {
      guint job = (first + i * 3) % G_N_ELEMENTS (jobs);
      g_autoptr(CwIntervention) line = NULL;
      g_autofree char *line_id = NULL;

      if (!with_labour && jobs[job].kind == CW_ELEMENT_KIND_LABOUR)
        continue;

      line = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
      line_id = g_strdup_printf ("%u", self->next_number * 10 + added + 1);
      cw_intervention_set_dms_line_id (line, line_id);
      cw_intervention_set_title (line, jobs[job].title);
      cw_intervention_set_description (line, jobs[job].description);
      cw_intervention_set_element_kind (line, jobs[job].kind);
      if (jobs[job].cents >= 0)
        cw_intervention_set_price (line, jobs[job].cents);
      if (jobs[job].part_code != NULL)
        {
          const char * const codes[] = { jobs[job].part_code, NULL };
          cw_intervention_set_part_codes (line, codes);
        }

      cw_workorder_append_intervention (workorder, line);
      added++;
    }
}

static CwSimOrder *
make_order (CwSimDataset *self,
            CwSimDms      dms,
            const GDate  *day,
            guint         slot)
{
  CwSimOrder *order = g_new0 (CwSimOrder, 1);
  CwWorkorder *workorder = cw_workorder_new ();
  CwCar *car = cw_workorder_get_car (workorder);
  guint number = self->next_number++;
  guint car_index = g_rand_int_range (self->rand, 0, G_N_ELEMENTS (cars));
  g_autofree char *dms_number = g_strdup_printf ("%u", 700000 + number);
  static const guint wo_base[] = { 40000, 60000, 80000, 90000 };
  g_autofree char *wo_number = g_strdup_printf ("%u", wo_base[dms] + number);
  g_autofree char *plate = make_plate (self);
  g_autofree char *vin = make_vin (self, cars[car_index].wmi);
  g_autofree char *engine = g_strdup_printf ("D%c%c%c %06d", 'A' + g_rand_int_range (self->rand, 0, 26),
                                             'A' + g_rand_int_range (self->rand, 0, 26),
                                             'A' + g_rand_int_range (self->rand, 0, 26),
                                             g_rand_int_range (self->rand, 0, 999999));
  int minutes = 7 * 60 + 30 + (int) slot * 30 + g_rand_int_range (self->rand, 0, 2) * 15;
  g_autoptr(GDateTime) appointment = g_date_time_new_local (g_date_get_year (day), g_date_get_month (day),
                                                            g_date_get_day (day), minutes / 60, minutes % 60, 0);
  g_autoptr(GDateTime) created = g_date_time_add_days (appointment, -g_rand_int_range (self->rand, 2, 30));
  g_autoptr(GDateTime) scheduled_out = g_date_time_add_hours (appointment, g_rand_int_range (self->rand, 2, 9));

  order->dms = dms;
  order->order_type = 1;
  order->workorder = workorder;

  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_NUMBER, dms_number);
  cw_workorder_set_field (workorder, CW_WORKORDER_WO_NUMBER, wo_number);
  cw_workorder_set_time (workorder, CW_WORKORDER_APPOINTMENT, appointment);
  cw_workorder_set_dms_mileage (workorder, g_rand_int_range (self->rand, 3000, 240000));

  cw_car_set_field (car, CW_CAR_MAKE, cars[car_index].make);
  cw_car_set_field (car, CW_CAR_MODEL, cars[car_index].model);
  cw_car_set_field (car, CW_CAR_PLATE, plate);

  if (dms == CW_SIM_DMS_AUTOFLEX)
    {
      g_autoptr(CwParty) contractor = NULL;

      cw_workorder_set_time (workorder, CW_WORKORDER_DMS_CREATED, created);
      cw_workorder_set_time (workorder, CW_WORKORDER_SCHEDULED_IN, appointment);
      cw_workorder_set_time (workorder, CW_WORKORDER_SCHEDULED_OUT, scheduled_out);
      cw_car_set_field (car, CW_CAR_VIN, vin);
      cw_car_set_field (car, CW_CAR_ENGINE_NUMBER, engine);
      if (g_rand_int_range (self->rand, 0, 4) == 0)
        cw_car_set_field (car, CW_CAR_NOTES, "Winterbanden in opslag");

      contractor = make_person (self, CW_PARTY_ROLE_CONTRACTOR);
      if (g_rand_int_range (self->rand, 0, 4) == 0)
        cw_party_set_field (contractor, CW_PARTY_COMPANY, PICK (companies));
      cw_car_set_field (car, CW_CAR_DRIVER_ID, cw_party_get_field (contractor, CW_PARTY_DMS_ID));
      cw_workorder_set_party (workorder, contractor);

      if (g_rand_int_range (self->rand, 0, 5) == 0)
        cw_workorder_set_field (workorder, CW_WORKORDER_DMS_NOTES, "Klant wacht op de auto");
      if (g_rand_int_range (self->rand, 0, 12) == 0)
        cw_workorder_set_flag (workorder, CW_WORKORDER_INTERNAL, TRUE);

      add_jobs (self, workorder, TRUE);
    }
  else if (dms == CW_SIM_DMS_INCADEA || dms == CW_SIM_DMS_WINCAR)
    {
      g_autoptr(CwParty) driver = make_person (self, CW_PARTY_ROLE_DRIVER);
      g_autoptr(CwParty) owner = make_person (self, CW_PARTY_ROLE_OWNER);
      g_autofree char *mobile = g_strdup_printf ("+31 6 %08d", g_rand_int_range (self->rand, 10000000, 99999999));
      g_autofree char *private_email = g_strdup_printf ("%s.prive@example.org", cw_party_get_field (driver, CW_PARTY_DMS_ID));
      GDate first_registration, apk, warranty_start, warranty_end;

      cw_workorder_set_time (workorder, CW_WORKORDER_DMS_CREATED, created);
      cw_workorder_set_time (workorder, CW_WORKORDER_SCHEDULED_IN, appointment);
      cw_workorder_set_time (workorder, CW_WORKORDER_SCHEDULED_OUT, scheduled_out);
      cw_workorder_set_flag (workorder, CW_WORKORDER_CUSTOMER_WAITING, g_rand_int_range (self->rand, 0, 4) == 0);
      cw_car_set_field (car, CW_CAR_VIN, vin);

      g_date_clear (&first_registration, 1);
      g_date_set_dmy (&first_registration, g_rand_int_range (self->rand, 1, 28),
                      g_rand_int_range (self->rand, 1, 13), g_rand_int_range (self->rand, 2012, 2025));
      apk = first_registration;
      g_date_set_year (&apk, g_date_get_year (&self->today) + 1);
      warranty_start = first_registration;
      warranty_end = first_registration;
      g_date_add_years (&warranty_end, 2);
      cw_car_set_date (car, CW_CAR_FIRST_REGISTRATION, &first_registration);
      cw_car_set_date (car, CW_CAR_APK_DATE, &apk);
      cw_car_set_date (car, CW_CAR_WARRANTY_START, &warranty_start);
      cw_car_set_date (car, CW_CAR_WARRANTY_END, &warranty_end);

      cw_party_set_field (driver, CW_PARTY_PRIVATE_EMAIL, private_email);
      cw_party_set_field (driver, CW_PARTY_PRIVATE_MOBILE, mobile);
      cw_party_set_field (driver, CW_PARTY_PRIVATE_PHONE, "+31 30 123 45 67");
      cw_party_set_field (driver, CW_PARTY_BUSINESS_MOBILE, mobile);
      if (g_rand_int_range (self->rand, 0, 3) == 0)
        {
          cw_party_set_field (owner, CW_PARTY_COMPANY, companies[g_rand_int_range (self->rand, 0, 3)]);
          cw_party_set_lease_company (owner, TRUE);
        }
      cw_car_set_field (car, CW_CAR_DRIVER_ID, cw_party_get_field (driver, CW_PARTY_DMS_ID));
      cw_car_set_field (car, CW_CAR_OWNER_ID, cw_party_get_field (owner, CW_PARTY_DMS_ID));
      cw_workorder_set_party (workorder, driver);
      cw_workorder_set_party (workorder, owner);

      add_jobs (self, workorder, TRUE);
    }
  else
    {
      g_autoptr(CwParty) owner = make_person (self, CW_PARTY_ROLE_OWNER);
      /* Claire's 2Drive list: only the last name and business contact details. */
      g_autoptr(CwParty) sparse = cw_party_new (CW_PARTY_ROLE_OWNER);

      cw_party_set_field (sparse, CW_PARTY_LAST_NAME, cw_party_get_field (owner, CW_PARTY_LAST_NAME));
      cw_party_set_field (sparse, CW_PARTY_BUSINESS_PHONE, cw_party_get_field (owner, CW_PARTY_BUSINESS_PHONE));
      cw_party_set_field (sparse, CW_PARTY_BUSINESS_EMAIL, cw_party_get_field (owner, CW_PARTY_BUSINESS_EMAIL));
      cw_workorder_set_party (workorder, sparse);

      /* One in six has no labour line: 2Drive must refuse those. */
      add_jobs (self, workorder, number % 6 != 0);
    }

  return order;
}

static void
order_free (CwSimOrder *order)
{
  g_clear_object (&order->workorder);
  g_free (order);
}

/**
 * cw_sim_dataset_new:
 * @seed: the same seed gives the same orders
 * @today: (nullable): the day the data is centred on; %NULL for the real today
 *
 * Returns: (transfer full): the dataset
 */
CwSimDataset *
cw_sim_dataset_new (guint32      seed,
                    const GDate *today)
{
  CwSimDataset *self = g_new0 (CwSimDataset, 1);
  GDate day;

  self->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) order_free);
  self->rand = g_rand_new_with_seed (seed);
  self->next_number = 100;

  if (today != NULL)
    self->today = *today;
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      g_date_clear (&self->today, 1);
      g_date_set_dmy (&self->today, g_date_time_get_day_of_month (now),
                      g_date_time_get_month (now), g_date_time_get_year (now));
    }

  day = self->today;
  g_date_subtract_days (&day, 1);
  for (guint d = 0; d < N_DAYS; d++, g_date_add_days (&day, 1))
    {
      for (guint i = 0; i < AUTOFLEX_PER_DAY; i++)
        g_ptr_array_add (self->orders, make_order (self, CW_SIM_DMS_AUTOFLEX, &day, i * 2));
      for (guint i = 0; i < TWODRIVE_PER_DAY; i++)
        g_ptr_array_add (self->orders, make_order (self, CW_SIM_DMS_2DRIVE, &day, i * 3 + 1));
    }

  /* Added after the others, so that the Autoflex and 2Drive orders of a seed stay the
   * same as before these DMSs existed. */
  day = self->today;
  g_date_subtract_days (&day, 1);
  for (guint d = 0; d < N_DAYS; d++, g_date_add_days (&day, 1))
    {
      for (guint i = 0; i < INCADEA_PER_DAY; i++)
        g_ptr_array_add (self->orders, make_order (self, CW_SIM_DMS_INCADEA, &day, i * 4 + 2));
      for (guint i = 0; i < WINCAR_PER_DAY; i++)
        g_ptr_array_add (self->orders, make_order (self, CW_SIM_DMS_WINCAR, &day, i * 4 + 3));
    }

  /* Fixed cases, whatever the seed. */
  for (guint i = 0; i < self->orders->len; i++)
    {
      CwSimOrder *order = g_ptr_array_index (self->orders, i);

      if (order->dms != CW_SIM_DMS_AUTOFLEX)
        continue;

      switch (i % 10)
        {
        case 3:
          order->invoiced = i % 20 == 3;
          cw_workorder_set_flag (order->workorder, CW_WORKORDER_BILLED, order->invoiced);
          break;
        case 5:
          cw_workorder_set_flag (order->workorder, CW_WORKORDER_DMS_CANCELED, i % 20 == 5);
          break;
        case 6:
          /* A car sale: Autoflex lists it with the orders, the app must leave it out. */
          if (i % 20 == 6)
            order->order_type = 2;
          break;
        case 1:
          cw_workorder_set_dms_shop_state (order->workorder, CW_SHOP_IN);
          break;
        default:
          break;
        }
    }

  return self;
}

void
cw_sim_dataset_free (CwSimDataset *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->orders, g_ptr_array_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_free (self);
}

const GDate *
cw_sim_dataset_get_today (CwSimDataset *self)
{
  return &self->today;
}

guint
cw_sim_dataset_get_n_orders (CwSimDataset *self)
{
  return self->orders->len;
}

CwSimOrder *
cw_sim_dataset_get_order (CwSimDataset *self,
                          guint         index)
{
  g_return_val_if_fail (index < self->orders->len, NULL);

  return g_ptr_array_index (self->orders, index);
}

static CwSimOrder *
find_field (CwSimDataset     *self,
            CwSimDms          dms,
            CwWorkorderField  field,
            const char       *value)
{
  for (guint i = 0; value != NULL && i < self->orders->len; i++)
    {
      CwSimOrder *order = g_ptr_array_index (self->orders, i);

      if (order->dms == dms &&
          g_strcmp0 (cw_workorder_get_field (order->workorder, field), value) == 0)
        return order;
    }

  return NULL;
}

CwSimOrder *
cw_sim_dataset_find_dms_number (CwSimDataset *self,
                                CwSimDms      dms,
                                const char   *dms_number)
{
  return find_field (self, dms, CW_WORKORDER_DMS_NUMBER, dms_number);
}

CwSimOrder *
cw_sim_dataset_find_wo_number (CwSimDataset *self,
                               CwSimDms      dms,
                               const char   *wo_number)
{
  return find_field (self, dms, CW_WORKORDER_WO_NUMBER, wo_number);
}

/**
 * cw_sim_dataset_find_plate:
 * @plate: a plate in any spelling
 *
 * Returns: (transfer container) (element-type CwSimOrder): the orders of that car
 */
GPtrArray *
cw_sim_dataset_find_plate (CwSimDataset *self,
                           CwSimDms      dms,
                           const char   *plate)
{
  g_autofree char *wanted = cw_plate_normalize (plate);
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; wanted != NULL && i < self->orders->len; i++)
    {
      CwSimOrder *order = g_ptr_array_index (self->orders, i);
      const char *stored = cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_PLATE);

      if (order->dms == dms && g_strcmp0 (stored, wanted) == 0)
        g_ptr_array_add (found, order);
    }

  return found;
}

/**
 * cw_sim_dataset_list_days:
 *
 * Returns: (transfer container) (element-type CwSimOrder): the orders of @dms with an
 *   appointment on those days, whatever their type
 */
GPtrArray *
cw_sim_dataset_list_days (CwSimDataset *self,
                          CwSimDms      dms,
                          const GDate  *first_day,
                          guint         n_days)
{
  GPtrArray *found = g_ptr_array_new ();
  GDate end = *first_day;

  g_date_add_days (&end, n_days);

  for (guint i = 0; i < self->orders->len; i++)
    {
      CwSimOrder *order = g_ptr_array_index (self->orders, i);
      GDateTime *at = cw_workorder_get_time (order->workorder, CW_WORKORDER_APPOINTMENT);
      g_autoptr(GDateTime) local = NULL;
      GDate day;

      if (order->dms != dms || at == NULL)
        continue;

      local = g_date_time_to_local (at);
      g_date_clear (&day, 1);
      g_date_set_dmy (&day, g_date_time_get_day_of_month (local),
                      g_date_time_get_month (local), g_date_time_get_year (local));
      if (g_date_compare (&day, first_day) >= 0 && g_date_compare (&day, &end) < 0)
        g_ptr_array_add (found, order);
    }

  return found;
}

/* Call after changing an order, so the next answer carries the change. */
void
cw_sim_dataset_touch (CwSimDataset *self,
                      CwSimOrder   *order)
{
  order->revision++;
  self->generation++;
}

/**
 * cw_sim_dataset_get_generation:
 *
 * Returns: a number that changes whenever an order is added or touched, for the API
 *   modules to know when what they derived from the dataset is out of date
 */
guint
cw_sim_dataset_get_generation (CwSimDataset *self)
{
  return self->generation;
}

/**
 * cw_sim_dataset_add_bulk:
 * @n_orders: how many orders to add, all on @day
 *
 * Adds many orders at once (the import benchmark's 10 000).
 */
void
cw_sim_dataset_add_bulk (CwSimDataset *self,
                         CwSimDms      dms,
                         guint         n_orders,
                         const GDate  *day)
{
  for (guint i = 0; i < n_orders; i++)
    g_ptr_array_add (self->orders, make_order (self, dms, day, i % 20));
  self->generation++;
}

/**
 * cw_sim_order_has_labour:
 *
 * Returns: %TRUE if the order has at least one labour line
 */
gboolean
cw_sim_order_has_labour (CwSimOrder *order)
{
  GListModel *lines = cw_workorder_get_interventions (order->workorder);

  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);

      if (cw_intervention_get_element_kind (line) == CW_ELEMENT_KIND_LABOUR)
        return TRUE;
    }

  return FALSE;
}
