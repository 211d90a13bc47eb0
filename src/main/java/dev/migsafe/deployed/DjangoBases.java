package dev.migsafe.deployed;

import dev.migsafe.migration.DjangoNames;
import java.util.List;
import java.util.Map;

/**
 * Django's own model classes that project models derive from: Model itself, and the abstract
 * bases of django.contrib whose fields are known (a custom user model's username, password...).
 * Any other Django class (a concrete contrib model as a multi-table parent) is not followed.
 */
final class DjangoBases {

    private DjangoBases() {}

    private static final List<String> BASE_USER = List.of("password", "last_login");
    private static final List<String> PERMISSIONS = List.of("is_superuser", "groups", "user_permissions");

    /** Abstract bases -> the fields they add (name; columns are the names, groups and permissions have none). */
    private static final Map<String, List<String>> ABSTRACT = Map.of(
            "django.contrib.auth.base_user.AbstractBaseUser", BASE_USER,
            "django.contrib.auth.models.AbstractBaseUser", BASE_USER,
            "django.contrib.auth.models.PermissionsMixin", PERMISSIONS,
            "django.contrib.auth.models.AbstractUser", concat(BASE_USER, PERMISSIONS, List.of("username", "first_name",
                    "last_name", "email", "is_staff", "is_active", "date_joined")),
            "django.contrib.sessions.base_session.AbstractBaseSession", List.of("session_key", "session_data", "expire_date"));

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        out.addAll(c);
        return List.copyOf(out);
    }

    static boolean isModel(String qualified) {
        String c = DjangoNames.canonical(qualified);
        return c.equals("django.db.models.Model") || c.equals("django.db.models.base.Model");
    }

    /** The fields a Django abstract base adds, or null when it is not one migsafe knows. */
    static List<String> abstractFields(String qualified) {
        return ABSTRACT.get(qualified);
    }

    /** Relations without a column of their own. */
    static boolean hasNoColumn(String fieldClass) {
        return fieldClass.equals("ManyToManyField") || fieldClass.equals("GenericRelation")
                || fieldClass.equals("GenericForeignKey") || fieldClass.equals("TaggableManager")
                || fieldClass.equals("ForeignObject");
    }

    /** Whether a call of this class (last name, qualified) declares a model field. */
    static boolean isFieldClass(String simple, String qualified) {
        if (simple.equals("GenericForeignKey") || simple.equals("TaggableManager")) {
            return true;
        }
        return simple.endsWith("Field") || simple.endsWith("ForeignKey") || simple.equals("ForeignObject")
                || simple.equals("GenericRelation")
                || qualified != null && DjangoNames.canonical(qualified).startsWith(DjangoNames.MODELS)
                && Character.isUpperCase(simple.charAt(0)) && simple.endsWith("Key");
    }

    /** Whether a qualified class is one of Django's own concrete field classes (every one has a migration state). */
    static boolean isDjangoFieldClass(String qualified) {
        if (qualified == null) {
            return false;
        }
        String c = DjangoNames.canonical(qualified);
        return (c.startsWith(DjangoNames.MODELS) || c.startsWith(DjangoNames.POSTGRES_FIELDS)
                || c.startsWith("django.contrib.gis.db.models.")) && !c.endsWith(".GenericForeignKey");
    }

    /** Whether the field's column is the name with _id (a foreign key or one-to-one). */
    static boolean isRelationWithId(String simple) {
        return simple.contains("ForeignKey") || simple.contains("OneToOne") || simple.equals("ForeignObject");
    }
}
