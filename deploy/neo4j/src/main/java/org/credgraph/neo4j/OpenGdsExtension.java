package org.credgraph.neo4j;

import java.util.Optional;
import org.neo4j.configuration.Config;
import org.neo4j.gds.LicensingBusinessFacade;
import org.neo4j.gds.OpenGdsLicenseState;
import org.neo4j.gds.SysInfoProcFacade;
import org.neo4j.gds.applications.operations.FeatureTogglesRepository;
import org.neo4j.gds.core.model.OpenModelCatalogProvider;
import org.neo4j.gds.core.write.NativeExportBuildersProvider;
import org.neo4j.gds.metrics.Metrics;
import org.neo4j.gds.procedures.integration.DefaultExportLocation;
import org.neo4j.gds.procedures.integration.LogAccessor;
import org.neo4j.gds.procedures.integration.OpenGraphDataScienceExtensionBuilder;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.extension.ExtensionFactory;
import org.neo4j.kernel.extension.context.ExtensionContext;
import org.neo4j.kernel.lifecycle.Lifecycle;
import org.neo4j.logging.internal.LogService;

/**
 * Registers the components GDS procedures inject: GraphDataScienceProcedures (all algorithms and the
 * graph catalog) and SysInfoProcFacade (gds.license.state; gds.version() itself needs nothing).
 * The GDS plugin jar from neo4j.com ships such an extension in its (unpublished) "open-packaging"
 * module; the org.neo4j.gds artifacts on Maven Central do not, so we provide it here
 * (open edition: native writes only, no metrics, models kept in memory only).
 */
public final class OpenGdsExtension extends ExtensionFactory<OpenGdsExtension.Dependencies> {
    public interface Dependencies {
        Config config();

        GlobalProcedures globalProcedures();

        LogService logService();
    }

    public OpenGdsExtension() {
        super("credgraph.gds.open");
    }

    @Override
    public Lifecycle newInstance(ExtensionContext context, Dependencies deps) {
        var log = new LogAccessor().getLog(deps.logService(), getClass());
        var sysInfo = new SysInfoProcFacade(new LicensingBusinessFacade(() -> OpenGdsLicenseState.INSTANCE));
        deps.globalProcedures().registerComponent(SysInfoProcFacade.class, ctx -> sysInfo, true);
        return OpenGraphDataScienceExtensionBuilder.create(
                        log,
                        deps.globalProcedures(),
                        deps.config(),
                        (db, cfg) -> new NativeExportBuildersProvider(),
                        new DefaultExportLocation(log, deps.config()),
                        new FeatureTogglesRepository(),
                        Metrics.DISABLED,
                        new OpenModelCatalogProvider().setAndGet(OpenGdsLicenseState.INSTANCE),
                        model -> {
                            throw new UnsupportedOperationException("storing models is not supported in open GDS");
                        },
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty())
                .getLeft()
                .build();
    }
}
