package dev.migsafe.graph;

import java.util.List;
import java.util.Map;

/**
 * The migrations of Django's own contrib apps that every database of a Django project has
 * applied (django.contrib.contenttypes and auth are installed almost everywhere). A project that
 * later ships an app under the same label (saleor's own `auth`, reusing Django's migration names)
 * finds those rows already in django_migrations: a plan from the code of a commit that did not
 * have the app counts them as applied, as Django will.
 */
public final class DjangoContrib {

    /** Label -> the migration names Django itself ships for it (Django 3.2 to 6.0). */
    public static final Map<String, List<String>> MIGRATIONS = Map.of(
            "contenttypes", List.of("0001_initial", "0002_remove_content_type_name"),
            "auth", List.of("0001_initial", "0002_alter_permission_name_max_length", "0003_alter_user_email_max_length",
                    "0004_alter_user_username_opts", "0005_alter_user_last_login_null", "0006_require_contenttypes_0002",
                    "0007_alter_validators_add_error_messages", "0008_alter_user_username_max_length",
                    "0009_alter_user_last_name_max_length", "0010_alter_group_name_max_length",
                    "0011_update_proxy_permissions", "0012_alter_user_first_name_max_length"));

    private DjangoContrib() {}
}
