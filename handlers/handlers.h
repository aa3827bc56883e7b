// Every handler, named like its wire command so grep leads from the wire to the code.
#pragma once

#include "handlers/call.h"

namespace kyc::handlers {

// Sessions (session_handlers.cpp)
Result<std::string> Ping(Call& c);
Result<std::string> Login(Call& c);
Result<std::string> Auth(Call& c);
Result<std::string> Logout(Call& c);
Result<std::string> MngCreateClientSession(Call& c);

// Staff accounts (manager_handlers.cpp)
Result<std::string> MngAddManager(Call& c);
Result<std::string> MngUpdateManager(Call& c);
Result<std::string> MngGetManagers(Call& c);

// Step templates (template_handlers.cpp)
Result<std::string> MngAddKycStepTemplate(Call& c);
Result<std::string> MngUpdateKycStepTemplate(Call& c);
Result<std::string> MngDeleteKycStepTemplate(Call& c);
Result<std::string> MngGetKycStepTemplates(Call& c);
Result<std::string> MngGetKycStepTemplate(Call& c);

}  // namespace kyc::handlers
