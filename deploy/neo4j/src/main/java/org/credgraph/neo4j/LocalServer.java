package org.credgraph.neo4j;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.commandline.admin.security.SetInitialPasswordCommand;
import org.neo4j.internal.kernel.api.connectioninfo.ClientConnectionInfo;
import org.neo4j.internal.kernel.api.security.AuthenticationResult;
import org.neo4j.kernel.api.security.AuthManager;
import org.neo4j.kernel.api.security.AuthToken;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.server.CommunityBootstrapper;
import picocli.CommandLine;

/**
 * Local Neo4j Community server for credgraph development.
 *
 * <pre>java -cp 'HOME/lib/*:HOME/plugins/*' org.credgraph.neo4j.LocalServer HOME BOLT_PORT [HTTP_PORT]</pre>
 *
 * Password comes from env NEO4J_PASSWORD (min. 8 chars). Listens on 127.0.0.1 only.
 * Data in HOME/data, logs in HOME/logs. Optional extra settings: HOME/conf/neo4j.conf.
 * SIGTERM/SIGINT shut the DBMS down cleanly (Neo4j's own signal handler + shutdown hook).
 */
public final class LocalServer {
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: LocalServer <home> <boltPort> [httpPort]   (env NEO4J_PASSWORD required)");
            System.exit(64);
        }
        Path home = Path.of(args[0]).toAbsolutePath().normalize();
        int boltPort = Integer.parseInt(args[1]);
        Integer httpPort = args.length == 3 ? Integer.valueOf(args[2]) : null;
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            System.err.println("NEO4J_PASSWORD is not set");
            System.exit(64);
        }
        Path conf = home.resolve("conf");
        // JNA would otherwise unpack its native library under ~/.cache/JNA.
        if (System.getProperty("jna.tmpdir") == null) System.setProperty("jna.tmpdir", home.resolve("run").toString());

        // Before the very first start: store the initial password (what `neo4j-admin dbms set-initial-password` does).
        if (!Files.exists(home.resolve("data/databases/system"))) {
            int rc = new CommandLine(new SetInitialPasswordCommand(new ExecutionContext(home, conf)))
                    .execute(password);
            if (rc != 0) System.exit(rc);
        }

        Map<String, String> cfg = new HashMap<>();
        cfg.put("server.default_listen_address", "127.0.0.1");
        cfg.put("server.default_advertised_address", "127.0.0.1");
        cfg.put("server.bolt.enabled", "true");
        cfg.put("server.bolt.listen_address", "127.0.0.1:" + boltPort);
        cfg.put("server.bolt.advertised_address", "127.0.0.1:" + boltPort);
        cfg.put("server.http.enabled", String.valueOf(httpPort != null));
        if (httpPort != null) {
            cfg.put("server.http.listen_address", "127.0.0.1:" + httpPort);
            cfg.put("server.http.advertised_address", "127.0.0.1:" + httpPort);
        }
        cfg.put("server.https.enabled", "false");
        cfg.put("dbms.security.auth_enabled", "true");
        cfg.put("dbms.security.procedures.unrestricted", "gds.*,apoc.*");
        cfg.put("server.directories.data", home.resolve("data").toString());
        cfg.put("server.directories.logs", home.resolve("logs").toString());
        cfg.put("server.directories.plugins", home.resolve("plugins").toString());
        cfg.put("server.directories.run", home.resolve("run").toString());
        cfg.put("server.directories.import", home.resolve("import").toString());
        cfg.put("server.memory.pagecache.size", System.getProperty("credgraph.pagecache", "512m"));
        cfg.put("dbms.usage_report.enabled", "false");
        cfg.put("db.tx_log.preallocate", "false"); // else 256 MB per database up front
        // Bolt's netty event loops otherwise idle 5 s each on shutdown (~10 s to stop); databases are closed by then.
        cfg.put("internal.dbms.bolt.netty_server_shutdown_quiet_period", "0");

        CommunityBootstrapper boot = new CommunityBootstrapper();
        Path confFile = conf.resolve("neo4j.conf");
        int rc = boot.start(home, Files.exists(confFile) ? confFile : null, cfg, false, false);
        if (rc != 0) {
            System.err.println("credgraph-neo4j failed to start, exit code " + rc + " (see " + home.resolve("logs") + ")");
            System.exit(rc);
        }

        // On later starts, keep the password in sync with NEO4J_PASSWORD (cheap check first: Cypher is cold here).
        try {
            var system = (GraphDatabaseAPI) boot.getDatabaseManagementService().database("system");
            var login = system.getDependencyResolver().resolveDependency(AuthManager.class).login(
                    AuthToken.newBasicAuthToken("neo4j", password.getBytes(StandardCharsets.UTF_8)),
                    ClientConnectionInfo.EMBEDDED_CONNECTION);
            if (login.subject().getAuthenticationResult() != AuthenticationResult.SUCCESS) {
                system.executeTransactionally(
                        "ALTER USER neo4j IF EXISTS SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            }
        } catch (Exception e) {
            System.err.println("credgraph-neo4j could not set the password: " + e.getMessage());
            System.exit(3); // the shutdown hook stops the DBMS
        }
        System.out.println("credgraph-neo4j ready bolt://127.0.0.1:" + boltPort);
        System.out.flush();
    }
}
