package io.cvimport.repository;

import java.util.regex.Pattern;

/** The one way a JDBC URL (or a message quoting one) is shown: never with its password. */
public final class JdbcUrls {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)((?:password|pwd)=)[^;&\\s]*");
    /** {@code user:password@host}, with or without the {@code //} before it. */
    private static final Pattern USER_INFO = Pattern.compile("([^\\s/:@]+:)[^\\s@/]+@");

    private JdbcUrls() {
    }

    public static String withoutPassword(String text) {
        return USER_INFO.matcher(PASSWORD_PARAMETER.matcher(text).replaceAll("$1***")).replaceAll("$1***@");
    }
}
